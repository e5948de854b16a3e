import { RELAY_OFF, type RelaySettings, type RelayStatus } from '../../shared/relay';
import { plural } from '../../shared/plural';
import { connectRelay, RelayRefused, RelayUnavailable, type ConnectRelay } from '../relay/relay-client';
import { RelayRestart, runSession, type SessionDeps } from '../relay/relay-session';
import type { SecretCipher } from '../store/secrets-repository';
import type { Store } from '../store/store';
import { createBackoff, describeFailure, type Supervisor } from '../util/supervisor';
import { relayedDelivery, type RelayedContext } from '../relay/relayed-delivery';
import { createRelaySettings, type RelayTarget } from './relay-settings';

export type { RelayTarget };

export interface RelaySubscriptionOptions extends Pick<SessionDeps, 'record' | 'clock'> {
  /** How this Hooklens receives now: its secrets, its body limit, its forwarding. */
  receiving: () => Omit<RelayedContext, 'position'>;
  store: Pick<Store, 'relayCursors' | 'settings'>;
  cipher: SecretCipher;
  supervisor: Pick<Supervisor, 'run'>;
  onStatus: (status: RelayStatus) => void;
  connect?: ConnectRelay;
  /** 0 ≤ x < 1; jitter for the reconnect waits (injected by tests). */
  random?: () => number;
}

/** How often "how far behind" is pushed at most while catching up. */
const PROGRESS_EVERY_MS = 250;

/**
 * Following a team relay: `serve --relay` for a run, or Settings → Team relay (saved). Each session
 * resumes after the last relayed delivery committed here; a dropped one is tried again after a
 * doubling, jittered wait; a refused token is said once and not tried again until the settings
 * change (or, for a run, until Hooklens is restarted). Every delivery it brings goes through the
 * receiver's own commit, so it is shown, counted, linked and forwarded as if received here.
 */
export function createRelaySubscription(options: RelaySubscriptionOptions) {
  const { clock } = options;
  const random = options.random ?? Math.random;
  const saved = createRelaySettings({ settings: options.store.settings, cipher: options.cipher });
  let status: RelayStatus = RELAY_OFF;
  let runTarget: RelayTarget | null = null;
  let following: { abort: AbortController; done: Promise<void> } | null = null;
  let progressTimer: NodeJS.Timeout | null = null;

  function set(next: Partial<RelayStatus>): void {
    status = { ...status, ...next, revision: status.revision + 1 };
    if (progressTimer !== null) clearTimeout(progressTimer);
    progressTimer = null;
    options.onStatus(status);
  }

  function progress(head: number, committed: number): void {
    const behind = Math.max(0, head - committed);
    if (behind === status.behind) return;
    status = { ...status, behind, revision: status.revision + 1 };
    // Caught up is said at once; the way there at most every PROGRESS_EVERY_MS.
    if (behind === 0) return set({});
    if (progressTimer === null) {
      progressTimer = setTimeout(() => set({}), PROGRESS_EVERY_MS);
      progressTimer.unref();
    }
  }

  async function follow(target: RelayTarget, signal: AbortSignal): Promise<void> {
    const waits = createBackoff({ firstMs: 1_000, maxMs: 30_000 });
    let note: string | null = null;
    const deps: SessionDeps = {
      cursors: options.store.relayCursors,
      record: options.record,
      toDelivery: (relayed, position) => relayedDelivery(relayed, { ...options.receiving(), position }),
      connect: options.connect ?? connectRelay,
      clock,
      onConnected: () => {
        waits.reset();
        set({ state: 'connected', message: note, retryAt: null });
        note = null;
      },
      onProgress: progress,
      onGap: (gap) => set({ message: `Missed ${plural(gap.missed, 'delivery', 'deliveries')} (#${gap.after + 1}–#${gap.next - 1}): the relay deleted them (its --keep) before this Hooklens caught up.` }),
    };
    while (!signal.aborted) {
      let reason: string;
      let retryAfterMs: number | null = null;
      try {
        await runSession(target.url, target.token, deps, signal);
        reason = 'The relay closed the stream.';
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof RelayRefused) return set({ state: 'refused', message: error.message, retryAt: null });
        if (error instanceof RelayRestart) {
          note = error.message;
          continue;
        }
        reason = describeFailure(error);
        if (error instanceof RelayUnavailable) retryAfterMs = error.retryAfterMs;
      }
      if (signal.aborted) return;
      // Half the wait fixed, half random: a team's subscribers do not all come back at once.
      const base = waits.next();
      const wait = retryAfterMs ?? Math.round(base / 2 + (random() * base) / 2);
      set({ state: 'reconnecting', message: `${reason} Trying again in ${Math.max(1, Math.round(wait / 1000))} s.`, retryAt: clock() + wait });
      await sleep(wait, signal);
    }
  }

  /** Stops following (waits until every delivery it handed over is committed or refused). */
  async function stopNow(): Promise<void> {
    const current = following;
    following = null;
    if (progressTimer !== null) clearTimeout(progressTimer);
    progressTimer = null;
    if (!current) return;
    current.abort.abort();
    await current.done;
  }

  async function beginNow(target: RelayTarget | null): Promise<void> {
    await stopNow();
    if (target === null) return set(RELAY_OFF);
    const abort = new AbortController();
    set({ ...RELAY_OFF, state: 'connecting', url: target.url });
    following = { abort, done: options.supervisor.run('team relay', () => follow(target, abort.signal)).then(() => undefined) };
  }

  // One change at a time, in the order asked: two Saves at once must not leave two sessions following.
  let turn: Promise<unknown> = Promise.resolve();
  function inTurn<A extends unknown[]>(work: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
    return (...args) => {
      const run = turn.then(() => work(...args));
      turn = run.catch(() => undefined);
      return run;
    };
  }
  const stop = inTurn(stopNow);
  const begin = inTurn(beginNow);

  function view(): RelaySettings {
    return runTarget ? { url: runTarget.url, tokenSource: 'run' } : saved.view();
  }

  return {
    status: (): RelayStatus => status,
    /** `serve --relay URL --relay-token T`: for this run, never saved. */
    followForRun(target: RelayTarget): Promise<void> {
      runTarget = target;
      return begin(target);
    },
    /** The relay saved in Settings (the desktop app, at start). */
    restore: (): Promise<void> => begin(saved.target()),
    stop,
    calls: {
      getRelaySettings: view,
      /** From Settings: saved, and followed from now on (a refused token is tried again with the new settings). */
      async setRelaySettings(change: { url: string | null; token?: string | null }): Promise<RelaySettings> {
        saved.update(change);
        runTarget = null;
        await begin(saved.target());
        return view();
      },
    },
  };
}

export type RelaySubscription = ReturnType<typeof createRelaySubscription>;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
