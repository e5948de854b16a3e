import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api';
import type { EventType } from '../../../shared/reviewsense/event-types';
import type { SimulationStatus } from '../../../shared/simulation';
import { NO_DRAWER } from './drawers';
import type { AppState } from './index';
import { actionRunner } from './run-action';
import { currentSecretOf } from './secrets';

/** What is delivered: a captured delivery's bytes, or a fresh event of a type. */
export interface SimulateSource {
  deliveryId: number | null;
  eventType: EventType | null;
}

export type FaultChoice = 'none' | 'error' | 'slow';

export interface SimulateForm {
  /** Empty: Hooklens' own receiver. */
  target: string;
  secretId: string | null;
  /** Delays are divided by it: 1 real time, 60, 3600; 0 no waiting. */
  speed: number;
  fault: FaultChoice;
  /** How many of the first tries the fault hits (1–6). */
  faultFirst: number;
}

export const SPEEDS: { value: number; label: string }[] = [
  { value: 1, label: 'real time (5 min is 5 minutes)' },
  { value: 60, label: '60× (5 min takes 5 s)' },
  { value: 3600, label: '3600× (24 h takes 24 s)' },
  { value: 0, label: 'instant (no waiting)' },
];

export interface SimulationSlice {
  /** The Simulate retries dialog is open for this source; null while it is closed. */
  simulateSource: SimulateSource | null;
  simulateForm: SimulateForm;
  /** Running and recent simulations, newest first (they survive a restart of Hooklens). */
  simulations: SimulationStatus[];
  /** The one the timeline shows. */
  watchedSimulation: number | null;
  simulateBusy: boolean;
  /** Why the last start, cancel or list failed. */
  simulateError: string | null;
  openSimulate: (source: SimulateSource, target?: string) => Promise<void>;
  closeSimulate: () => void;
  updateSimulate: (change: Partial<SimulateForm>) => void;
  startSimulation: () => Promise<SimulationStatus | null>;
  cancelSimulation: (id: number) => Promise<boolean>;
  watchSimulation: (id: number) => void;
  loadSimulations: () => Promise<boolean>;
  /** A pushed `simulation` event (a try made, the outcome). */
  applySimulation: (status: SimulationStatus) => void;
}

/** Pushed news and call answers cross: never let an older picture replace a newer one. */
function newer(incoming: SimulationStatus, known: SimulationStatus | undefined): boolean {
  if (!known) return true;
  if (incoming.tries.length !== known.tries.length) return incoming.tries.length > known.tries.length;
  if (known.state !== 'running') return incoming.state !== 'running';
  return true;
}

export function createSimulationSlice(api: Api): StateCreator<AppState, [], [], SimulationSlice> {
  return (set, get) => {
    const simulateCall = actionRunner(set, 'simulateError');

    function upsert(status: SimulationStatus): void {
      const list = get().simulations;
      const known = list.find((entry) => entry.id === status.id);
      if (!newer(status, known)) return;
      const next = known ? list.map((entry) => (entry.id === status.id ? status : entry)) : [status, ...list];
      set({ simulations: next.sort((a, b) => b.id - a.id) });
    }

    return {
      simulateSource: null,
      simulateForm: { target: '', secretId: null, speed: 0, fault: 'none', faultFirst: 2 },
      simulations: [],
      watchedSimulation: null,
      simulateBusy: false,
      simulateError: null,

      async openSimulate(source, target) {
        const { simulateForm, secrets } = get();
        const secretKnown = secrets.some((secret) => secret.id === simulateForm.secretId);
        const secretId = secretKnown ? simulateForm.secretId : (currentSecretOf(secrets)?.id ?? null);
        set({ ...NO_DRAWER, simulateSource: source, simulateError: null, simulateForm: { ...simulateForm, secretId, ...(target !== undefined ? { target } : {}) } });
        await Promise.all([get().loadSimulations(), get().loadOutgoing()]);
      },

      closeSimulate() {
        set({ simulateSource: null });
      },

      updateSimulate(change) {
        set({ simulateForm: { ...get().simulateForm, ...change } });
      },

      async startSimulation() {
        const source = get().simulateSource;
        if (!source || get().simulateBusy) return null;
        const form = get().simulateForm;
        set({ simulateBusy: true });
        let started: SimulationStatus | null = null;
        await simulateCall(async () => {
          started = await api.startSimulation({
            deliveryId: source.deliveryId,
            eventType: source.deliveryId === null ? source.eventType : null,
            target: form.target.trim() || null,
            secretId: form.secretId,
            speed: form.speed,
            faults: form.fault === 'none' ? null : { kind: form.fault, first: form.faultFirst },
          });
          upsert(started);
          set({ watchedSimulation: started.id });
        });
        set({ simulateBusy: false });
        if (started && form.target.trim()) void get().loadOutgoing();
        return started;
      },

      cancelSimulation: (id) =>
        simulateCall(async () => {
          const status = await api.cancelSimulation(id);
          if (status) upsert(status);
        }),

      watchSimulation(id) {
        set({ watchedSimulation: id });
      },

      loadSimulations: () =>
        simulateCall(async () => {
          for (const status of await api.listSimulations()) upsert(status);
        }),

      applySimulation(status) {
        upsert(status);
      },
    };
  };
}
