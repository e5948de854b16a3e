import { KEEP_EVERYTHING, type CompactionStatus, type PruneResult, type RetentionPolicy, type StorageStatus } from '../../shared/storage';
import { ApiInputError } from '../../shared/validate';
import { isBusy } from '../store/sqlite-errors';
import { prune } from '../store/prune';
import type { Store } from '../store/store';
import { readSavedRetention, RETENTION_KEY } from './saved-settings';
import type { Supervisor } from '../util/supervisor';

export const PRUNE_EVERY_MS = 60_000;
export const SIZE_EVERY_MS = 5_000;

export interface StorageServiceOptions {
  store: Pick<Store, 'file' | 'retention' | 'settings' | 'size' | 'compact'>;
  clock: () => number;
  /** `serve --keep`: the policy for this run. It wins over the saved one and is never saved. */
  runPolicy?: RetentionPolicy;
  /** The status changed (size, policy, a prune or a compaction). */
  onChange: (status: StorageStatus) => void;
  /** A pruning run deleted something, or stopped on an error (the minute's empty checks are not reported). */
  onPruned: (result: PruneResult) => void;
  /** Runs the timers and reports a failure outside pruning's and compaction's own reports (a listener, a bug). */
  supervisor: Supervisor;
  pruneEveryMs?: number;
  sizeEveryMs?: number;
}

/**
 * The database's size, its retention policy and the work that keeps it in bounds: pruning (at
 * start, when the policy changes, and every minute) and compaction on request. They never run at
 * the same time: a prune asked for during a compaction runs after it, and the other way round.
 */
export function createStorageService(options: StorageServiceOptions) {
  const { store, clock } = options;
  let policy: RetentionPolicy = options.runPolicy ?? readSavedRetention(store.settings) ?? KEEP_EVERYTHING;
  let source: StorageStatus['retentionSource'] = options.runPolicy ? 'run' : 'saved';
  let lastPrune: PruneResult | null = null;
  let compaction: CompactionStatus | null = null;
  let bytes = store.size();
  let timers: { stop: () => void }[] = [];
  let stopped = false;
  let revision = 0;

  // One piece of maintenance at a time; what was asked for meanwhile runs next.
  let busy: { kind: 'prune' | 'compaction'; done: Promise<void> } | null = null;
  let pruneWanted: (() => void)[] | null = null;
  let compactWanted = false;
  let pruning = false;
  // Bumped by a new policy or stop(): a prune started under an older one stops at its next batch.
  let generation = 0;
  // The first run under a policy is shown even when it deleted nothing; later ones when they did.
  let shownGeneration = -1;

  function status(): StorageStatus {
    return { revision, dbFile: store.file, bytes, retention: policy, retentionSource: source, pruning, lastPrune, compaction };
  }

  function changed(measured: number = store.size()): void {
    revision++;
    bytes = measured;
    options.onChange(status());
  }

  function pump(): void {
    if (busy || stopped) return;
    let run: Promise<void>;
    if (compactWanted) {
      compactWanted = false;
      run = runCompaction();
      busy = { kind: 'compaction', done: run };
    } else if (pruneWanted) {
      const waiting = pruneWanted;
      pruneWanted = null;
      run = runPrune().finally(() => waiting.forEach((resolve) => resolve()));
      busy = { kind: 'prune', done: run };
    } else return;
    void run.catch((error: unknown) => options.supervisor.failed('database maintenance', error)).finally(() => {
      busy = null;
      pump();
    });
  }

  /** Prunes now, or as soon as the work running ends; resolves when a run started after this call ends. */
  function requestPrune(): Promise<void> {
    return new Promise((resolve) => {
      if (stopped) return resolve();
      (pruneWanted ??= []).push(resolve);
      pump();
    });
  }

  async function runPrune(): Promise<void> {
    // Never inside the caller's turn (start-up, a Settings call): the first batch waits for the next.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const applied = policy;
    if (stopped || applied.kind === 'all') return;
    const mine = generation;
    const started = clock();
    const outcome = await prune(store.retention, applied, {
      now: started,
      cancelled: () => mine !== generation,
      // Quiet while there is nothing to delete (every minute); a long run says it is working.
      onBatch: () => {
        if (pruning) return;
        pruning = true;
        changed();
      },
    });
    const wasPruning = pruning;
    pruning = false;
    if (stopped) return;
    const result: PruneResult = { at: clock(), policy: applied, ...outcome, ms: clock() - started };
    const worthShowing = outcome.deleted > 0 || outcome.error !== null || mine !== shownGeneration;
    if (worthShowing) {
      lastPrune = result;
      shownGeneration = mine;
    }
    if (outcome.deleted > 0 || outcome.error !== null) options.onPruned(result);
    if (worthShowing || wasPruning) changed();
  }

  async function runCompaction(): Promise<void> {
    // Measured from the request: a prune that was running went first.
    const startedAt = compaction?.state === 'running' ? compaction.startedAt : clock();
    const bytesBefore = store.size();
    compaction = { state: 'running', startedAt, bytesBefore };
    changed();
    try {
      const ranOn = await store.compact();
      compaction = { state: 'done', at: clock(), bytesBefore, bytesAfter: store.size(), ms: clock() - startedAt, ranOn };
    } catch (error) {
      compaction = { state: 'failed', at: clock(), message: explainCompactionError(error) };
    }
    if (!stopped) changed();
  }

  /** From Settings: saved for later runs (it replaces a `--keep` given for this one) and applied now. */
  function setRetention(next: RetentionPolicy): StorageStatus {
    if (compaction?.state === 'running') throw new ApiInputError('The database is being compacted; change the policy when that has finished.');
    store.settings.put(RETENTION_KEY, next);
    policy = next;
    source = 'saved';
    generation++;
    void requestPrune();
    changed();
    return status();
  }

  /** Starts a compaction (after a prune that is running); its end is pushed as a status. */
  function compact(): StorageStatus {
    if (compaction?.state !== 'running') {
      compaction = { state: 'running', startedAt: clock(), bytesBefore: store.size() };
      compactWanted = true;
      changed();
      pump();
    }
    return status();
  }

  return {
    status,
    /** Prunes once now, then every minute; samples the size every few seconds. */
    start(): void {
      void requestPrune();
      timers = [
        options.supervisor.every('retention', options.pruneEveryMs ?? PRUNE_EVERY_MS, () => void requestPrune()),
        options.supervisor.every('database size', options.sizeEveryMs ?? SIZE_EVERY_MS, () => {
          const measured = store.size();
          if (measured !== bytes) changed(measured);
        }),
      ];
    },
    setRetention,
    compact,
    calls: { getStorage: status, setRetention, compact },
    /** Prunes now with the policy in force; resolves when done. */
    pruneNow: requestPrune,
    /** Stops the timers and a prune at its next batch; a compaction finishes on its own thread. */
    async stop(): Promise<void> {
      stopped = true;
      generation++;
      for (const timer of timers) timer.stop();
      for (const resolve of pruneWanted ?? []) resolve();
      pruneWanted = null;
      // A prune stops at its next batch, before the store closes; a compaction is not waited for.
      if (busy?.kind === 'prune') await busy.done.catch(() => undefined);
    },
  };
}

function explainCompactionError(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL') return 'Not enough disk space: compacting needs free space of up to twice the size of the database while it runs.';
  if (isBusy(error)) return 'The database stayed locked by another process (another Hooklens?); try again when it is closed.';
  return error instanceof Error ? error.message : String(error);
}

export type StorageService = ReturnType<typeof createStorageService>;
