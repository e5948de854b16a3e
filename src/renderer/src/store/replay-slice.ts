import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api';
import type { Attempt } from '../../../shared/attempt';
import { attemptSentence } from '../lib/attempt-text';
import type { AppState } from './index';

export interface Notice {
  id: number;
  text: string;
  tone: 'ok' | 'bad';
}

export interface ReplaySlice {
  /** The last Target chosen for a replay; null until one is ("" is Hooklens' own receiver). */
  replayTarget: string | null;
  replayBusy: boolean;
  /** Why the last replay could not be made (refused target, no body, …). */
  replayError: string | null;
  /** A short-lived line about an answer that arrived (a replay's, a forward's). */
  notice: Notice | null;
  setReplayTarget: (target: string) => void;
  /** Replays the selected delivery to the replay target: as captured (`keep`) or re-signed. */
  replaySelected: (signature: 'keep' | 'valid', secretId?: string | null) => Promise<Attempt | null>;
  showAttemptNotice: (attempt: Attempt) => void;
  /** A short line about something that did not happen (a key with nothing to act on). */
  showNotice: (text: string, tone: Notice['tone']) => void;
  dismissNotice: () => void;
}

/** Where a replay goes: the last Target chosen, else the forwarding target, else Hooklens ("" ). */
export function replayTargetOf(state: Pick<AppState, 'replayTarget' | 'forwarding'>): string {
  return state.replayTarget ?? state.forwarding?.target ?? '';
}

export function createReplaySlice(api: Api): StateCreator<AppState, [], [], ReplaySlice> {
  let noticeId = 0;
  return (set, get) => ({
    replayTarget: null,
    replayBusy: false,
    replayError: null,
    notice: null,

    setReplayTarget(target) {
      set({ replayTarget: target });
    },

    async replaySelected(signature, secretId) {
      const id = get().selectedId;
      if (id === null || get().replayBusy) return null;
      const target = replayTargetOf(get()).trim() || null;
      set({ replayBusy: true });
      try {
        const attempt = await api.replayDelivery({ id, target, signature, ...(signature === 'keep' ? {} : { secretId: secretId ?? null }) });
        set({ replayBusy: false, replayError: null });
        return attempt;
      } catch (error) {
        set({ replayBusy: false, replayError: (error as Error).message });
        return null;
      }
    },

    showAttemptNotice(attempt) {
      set({ notice: { id: ++noticeId, text: attemptSentence(attempt), tone: attempt.delivered ? 'ok' : 'bad' } });
    },

    showNotice(text, tone) {
      set({ notice: { id: ++noticeId, text, tone } });
    },

    dismissNotice() {
      set({ notice: null });
    },
  });
}
