import type { StateCreator } from 'zustand';
import type { Api, OutgoingSettings } from '../../../shared/api';
import type { ForwardingSettings, ForwardingStatus } from '../../../shared/outgoing';
import { newest } from '../../../shared/revision';
import type { AppState } from './index';
import { actionRunner } from './run-action';

export interface ForwardingSlice {
  forwarding: ForwardingStatus | null;
  /** Hosts allowed beyond loopback, and the targets used lately. */
  outgoing: OutgoingSettings | null;
  /** The last forwarding action's failure, shown in its Settings section. */
  forwardingError: string | null;
  /** The last change to the allowed hosts that failed. */
  hostsError: string | null;
  loadOutgoing: () => Promise<void>;
  /** A pushed status (queue drained, a forward queued). */
  setForwardingStatus: (status: ForwardingStatus) => void;
  saveForwarding: (settings: ForwardingSettings) => Promise<boolean>;
  dropQueuedForward: (id: number) => Promise<boolean>;
  clearForwardQueue: () => Promise<boolean>;
  retryForwardQueue: () => Promise<boolean>;
  saveAllowedHosts: (hosts: string[]) => Promise<boolean>;
}

const NO_TARGETS: readonly string[] = [];

/** The targets used lately; the same empty list each time until they are loaded (a stable selector). */
export function recentTargetsOf(state: Pick<AppState, 'outgoing'>): readonly string[] {
  return state.outgoing?.recentTargets ?? NO_TARGETS;
}

export function createForwardingSlice(api: Api): StateCreator<AppState, [], [], ForwardingSlice> {
  return (set) => {
    const forwardingCall = actionRunner(set, 'forwardingError');
    const hostsCall = actionRunner(set, 'hostsError');
    // An answer and a pushed status travel separately (the event stream may beat the answer): the
    // store keeps the latest read (revision.ts), or a pause said would be unsaid by an older answer.
    const keepNewest = (status: ForwardingStatus) => set((state) => ({ forwarding: newest(state.forwarding, status) }));
    const withStatus = (call: () => Promise<ForwardingStatus>) => forwardingCall(async () => keepNewest(await call()));
    return {
      forwarding: null,
      outgoing: null,
      forwardingError: null,
      hostsError: null,

      async loadOutgoing() {
        await forwardingCall(async () => {
          const [forwarding, outgoing] = await Promise.all([api.getForwarding(), api.getOutgoingSettings()]);
          keepNewest(forwarding);
          set({ outgoing });
        });
      },

      setForwardingStatus: keepNewest,

      saveForwarding: (settings) => withStatus(() => api.setForwarding(settings)),
      dropQueuedForward: (id) => withStatus(() => api.dropQueuedForward(id)),
      clearForwardQueue: () => withStatus(() => api.clearForwardQueue()),
      retryForwardQueue: () => withStatus(() => api.retryForwardQueue()),
      saveAllowedHosts: (hosts) => hostsCall(async () => set({ outgoing: await api.setAllowedHosts(hosts) })),
    };
  };
}
