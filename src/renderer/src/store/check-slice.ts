import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api';
import type { CheckProgress, CheckReport, ProbeResult } from '../../../shared/check';
import { remembered } from '../lib/remember';
import { NO_DRAWER } from './drawers';
import { earlyEvents } from './early-events';
import type { AppState } from './index';
import { actionRunner } from './run-action';
import { currentSecretOf } from './secrets';

export interface CheckForm {
  target: string;
  /** The secret the handler verifies with (by id); null: the current one (the core says when there is none). */
  secretId: string | null;
  /** Optional: a URL of the app that answers how many events it processed. */
  countUrl: string;
}

export interface CheckRun {
  /** null until startCheck answers. */
  runId: string | null;
  target: string;
  countUrl: string | null;
  done: number;
  /** null until the first probe says how many there are. */
  total: number | null;
  /** In the order they finished. */
  probes: ProbeResult[];
  report: CheckReport | null;
  /** Why it stopped early (cancelled, bad target). */
  error: string | null;
  running: boolean;
}

export interface CheckSlice {
  checkOpen: boolean;
  checkForm: CheckForm;
  checkRun: CheckRun | null;
  /** Why Run or Cancel could not be done (no secret, a refused target, …). */
  checkError: string | null;
  openCheck: () => void;
  closeCheck: () => void;
  updateCheck: (change: Partial<CheckForm>) => void;
  runCheck: () => Promise<boolean>;
  cancelCheck: () => Promise<boolean>;
  /** A pushed `check` event: a finished probe, the report, or why it stopped. */
  applyCheckProgress: (progress: CheckProgress) => void;
}

export function createCheckSlice(api: Api): StateCreator<AppState, [], [], CheckSlice> {
  const lastTarget = remembered('hooklens-check-target');
  const early = earlyEvents<CheckProgress>();

  return (set, get) => {
    const checkCall = actionRunner(set, 'checkError');

    function patchRun(change: Partial<CheckRun>): void {
      const run = get().checkRun;
      if (run) set({ checkRun: { ...run, ...change } });
    }

    function apply(progress: CheckProgress): void {
      const run = get().checkRun;
      // Another run's news, or news after this one stopped (a report racing a cancel).
      if (!run || run.runId !== progress.runId || !run.running) return;
      if (progress.error !== null) patchRun({ running: false, error: progress.error });
      else if (progress.report) patchRun({ running: false, report: progress.report, probes: progress.report.probes, done: progress.done, total: progress.total });
      else if (progress.probe) {
        const probe = progress.probe;
        patchRun({ probes: [...run.probes.filter((known) => known.name !== probe.name), probe], done: Math.max(run.done, progress.done), total: progress.total });
      }
    }

    return {
      checkOpen: false,
      checkForm: { target: '', secretId: null, countUrl: '' },
      checkRun: null,
      checkError: null,

      openCheck() {
        const { checkForm, secrets, forwarding } = get();
        const secretKnown = secrets.some((secret) => secret.id === checkForm.secretId);
        const secretId = secretKnown ? checkForm.secretId : (currentSecretOf(secrets)?.id ?? null);
        const target = checkForm.target || lastTarget.get() || forwarding?.target || '';
        set({ ...NO_DRAWER, checkOpen: true, checkError: null, checkForm: { ...checkForm, target, secretId } });
        void get().loadOutgoing();
      },

      closeCheck() {
        set({ checkOpen: false });
      },

      updateCheck(change) {
        set({ checkForm: { ...get().checkForm, ...change } });
      },

      async runCheck() {
        if (get().checkRun?.running) return false;
        const form = get().checkForm;
        const target = form.target.trim();
        const countUrl = form.countUrl.trim() || null;
        // The core would refuse it too, in the contract's words; this says what to type.
        if (!target) {
          set({ checkError: 'Give the URL of your webhook handler as Target, e.g. http://localhost:3000/webhooks/reviewsense.' });
          return false;
        }
        set({ checkRun: { runId: null, target, countUrl, done: 0, total: null, probes: [], report: null, error: null, running: true } });
        early.begin();
        let runId: string | null = null;
        const ok = await checkCall(async () => {
          runId = (await api.startCheck({ target, secretId: form.secretId, countUrl })).runId;
        });
        const held = early.end();
        if (!ok || runId === null) {
          set({ checkRun: null });
          return false;
        }
        lastTarget.set(target);
        patchRun({ runId });
        for (const progress of held) apply(progress);
        return true;
      },

      async cancelCheck() {
        const run = get().checkRun;
        if (!run?.running || run.runId === null) return false;
        const runId = run.runId;
        return checkCall(async () => {
          const cancelled = await api.cancelCheck(runId);
          // The core pushes the same news; this covers an event stream that dropped meanwhile.
          if (cancelled && get().checkRun?.runId === runId) patchRun({ running: false, error: get().checkRun?.error ?? 'The check was cancelled.' });
        });
      },

      applyCheckProgress(progress) {
        if (get().checkRun?.runId === null && early.hold(progress)) return;
        apply(progress);
      },
    };
  };
}
