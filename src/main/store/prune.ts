import { isBusy } from './sqlite-errors';
import type { RetentionPolicy } from '../../shared/storage';
import type { AgedRow, RetentionRepository } from './retention-repository';

/** Rows deleted per transaction: ~50 ms a batch on a million rows (0.66 s at the longest measured). */
const PRUNE_BATCH = 2_000;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface PruneOptions {
  now: number;
  batchSize?: number;
  /** Runs between batches; the default lets the event loop turn, so the receiver answers meanwhile. */
  pause?: () => Promise<void>;
  /** Checked before each batch: true stops the run (a newer policy, the store closing). */
  cancelled?: () => boolean;
  /** After each batch that deleted something, with the totals so far. */
  onBatch?: (soFar: PruneOutcome) => void;
}

export interface PruneOutcome {
  deleted: number;
  keptQueued: number;
  throughId: number;
  /** Why the run stopped early (e.g. the database was locked); null when it finished or was cancelled. */
  error: string | null;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Deletes the oldest deliveries beyond the policy, oldest first, a batch per transaction.
 * A delivery still waiting in the forward queue is kept (and counted in `keptQueued`).
 * Cheap when there is nothing to delete: a count policy reads the kept count; an age policy reads
 * the oldest row.
 */
export async function prune(repository: RetentionRepository, policy: RetentionPolicy, options: PruneOptions): Promise<PruneOutcome> {
  const outcome: PruneOutcome = { deleted: 0, keptQueued: 0, throughId: 0, error: null };
  if (policy.kind === 'all') return outcome;
  const batchSize = options.batchSize ?? PRUNE_BATCH;
  const pause = options.pause ?? nextTurn;
  const cancelled = options.cancelled ?? (() => false);
  let afterId = 0;
  try {
    const next = policy.kind === 'count' ? beyondCount(repository, policy.deliveries) : olderThan(options.now - policy.days * DAY_MS);
    while (next) {
      const batch = next.take(repository, afterId, batchSize);
      if (batch.rows.length === 0) break;
      afterId = batch.rows[batch.rows.length - 1]!.id;
      const doomed = batch.rows.filter((row) => !row.queued);
      outcome.keptQueued += batch.rows.length - doomed.length;
      outcome.deleted += repository.remove(doomed.map((row) => row.id));
      if (doomed.length > 0) {
        outcome.throughId = doomed[doomed.length - 1]!.id;
        options.onBatch?.({ ...outcome });
      }
      if (batch.last) break;
      await pause();
      if (cancelled()) break;
    }
  } catch (error) {
    outcome.error = explain(error);
  }
  return outcome;
}

interface Walk {
  /** The next rows past the policy after `afterId`; `last` when there are none beyond them. */
  take(repository: RetentionRepository, afterId: number, limit: number): { rows: AgedRow[]; last: boolean };
}

/**
 * The oldest rows beyond the newest `keep`. The count is read again before every batch (a Delete
 * all, a manual delete or another process may have removed rows meanwhile), and nothing at or
 * above the newest `keep` rows as they stood at the start is ever taken (deliveries arriving during
 * a long prune have higher ids still).
 */
function beyondCount(repository: RetentionRepository, keep: number): Walk | null {
  // The count is one read (kept by triggers); the cut walks `keep` rows, so only when needed.
  if (repository.count() <= keep) return null;
  const cut = repository.nthNewestId(keep);
  if (cut === null) return null;
  return {
    take(repo, afterId, limit) {
      const excess = repo.count() - keep;
      if (excess <= 0) return { rows: [], last: true };
      const rows = [...repo.oldest(afterId, Math.min(limit, excess))].filter((row) => row.id < cut);
      return { rows, last: rows.length === 0 || rows.length >= excess };
    },
  };
}

/**
 * Rows received before `cutoff`, in arrival order, up to the first younger one. `received_at`
 * follows the id except when the clock moved back or deliveries were imported: stopping at the
 * first younger row never deletes one inside the policy, and reads no further than needed.
 */
function olderThan(cutoff: number): Walk {
  return {
    take(repo, afterId, limit) {
      const rows: AgedRow[] = [];
      for (const row of repo.oldest(afterId, limit)) {
        if (row.receivedAt >= cutoff) return { rows, last: true };
        rows.push(row);
      }
      return { rows, last: rows.length < limit };
    },
  };
}

function explain(error: unknown): string {
  if (isBusy(error)) return 'the database was locked (another process, or a compaction); pruning goes on at the next check';
  return error instanceof Error ? error.message : String(error);
}
