import type { Db } from './open-database';
import { isBusy } from './sqlite-errors';
import type { DeliverySummary } from '../../shared/delivery';
import type { NewDelivery } from './deliveries-repository';

/** The delivery could not be committed; the receiver must not acknowledge it. */
export class StorageUnavailableError extends Error {
  override name = 'StorageUnavailableError';
  constructor(readonly reason: string, options?: { cause?: unknown }) {
    super(`Could not save the delivery: ${reason}`, options);
  }
}

interface Pending {
  delivery: NewDelivery;
  resolve: (inserted: DeliverySummary) => void;
  reject: (error: StorageUnavailableError) => void;
  /** When it was first queued: a delivery that cannot commit within RETRY_FOR_MS is refused. */
  since: number;
}

/** How long a delivery waits for another process's write lock before it is answered 503. */
export const RETRY_FOR_MS = 2_000;
const FIRST_RETRY_MS = 5;
const MAX_RETRY_MS = 200;
/** Batches remembered to guess how many deliveries the next one gathers (the largest of them). */
const RECENT_BATCHES = 4;
/** The longest a batch waits for the rest of the deliveries it expects: about one commit's cost. */
export const GATHER_FOR_MS = 0.5;

type Schedule = (flush: () => void) => void;

function explain(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL') return 'the disk (or the database size limit) is full';
  if (code.startsWith('SQLITE_READONLY')) return 'the database is read-only';
  if (isBusy(error)) return 'the database is locked by another process';
  if (code.startsWith('SQLITE_IOERR')) return 'the disk reported an I/O error';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Group commit: the deliveries queued during one event-loop turn are written in a single
 * transaction, and each caller's promise settles only once that transaction has committed
 * (or failed). With synchronous=FULL this turns one fsync per request into one per batch.
 *
 * A batch smaller than the largest of the last few waits for the rest, turn by turn, for at most
 * GATHER_FOR_MS. The clients one commit answered send their next deliveries over the next few
 * hundred microseconds, not in one turn: committed turn by turn, 10 of them split into batches of
 * 5 on average that stayed split, and a commit costs about as much as several deliveries (its
 * fsync, and every page it touches). A steady single sender expects 1 and never waits.
 *
 * When another process holds the write lock, the batch is retried on a timer (never waited for
 * on this thread, which answers every other request meanwhile) until RETRY_FOR_MS has passed
 * for a delivery; then it is refused, so the receiver answers 503 in its normal time.
 */
export interface WriterHooks {
  schedule?: Schedule;
  /** Throws a StorageUnavailableError when committing now would not make the batch durable. */
  beforeCommit?: () => void;
  /** Each delivery of a batch just committed, before its caller hears of it (e.g. search indexing). */
  afterCommit?: (delivery: NewDelivery, inserted: DeliverySummary) => void;
  clock?: () => number;
  /** How long a batch waits for the rest of what it expects (GATHER_FOR_MS). */
  gatherForMs?: number;
}

export function createDeliveryWriter(db: Db, insert: (delivery: NewDelivery) => DeliverySummary, hooks: WriterHooks = {}) {
  const { schedule = (flush: () => void) => setImmediate(flush), beforeCommit = () => undefined, afterCommit = () => undefined, clock = Date.now, gatherForMs = GATHER_FOR_MS } = hooks;
  let queue: Pending[] = [];
  let scheduled = false;
  let retry: NodeJS.Timeout | null = null;
  let retryDelay = 0;
  const recentBatches: number[] = [];
  /** When the batch being gathered was first due (performance.now()), or null. */
  let gatheringSince: number | null = null;

  const insertBatch = db.transaction((batch: Pending[]) => batch.map((pending) => insert(pending.delivery)));

  function commit(final: boolean): void {
    const batch = queue;
    queue = [];
    gatheringSince = null;
    if (batch.length === 0) return;
    let inserted: DeliverySummary[];
    try {
      beforeCommit();
      // IMMEDIATE: take the write lock up front, so a busy database fails here, before any work.
      inserted = insertBatch.immediate(batch);
    } catch (error) {
      const failure = error instanceof StorageUnavailableError ? error : new StorageUnavailableError(explain(error), { cause: error });
      const now = clock();
      const waiting = !final && isBusy(error) ? batch.filter((pending) => now - pending.since < RETRY_FOR_MS) : [];
      for (const pending of batch) if (!waiting.includes(pending)) pending.reject(failure);
      if (waiting.length > 0) {
        queue = [...waiting, ...queue];
        retryDelay = Math.min(Math.max(FIRST_RETRY_MS, retryDelay * 2), MAX_RETRY_MS);
        retry = setTimeout(() => {
          retry = null;
          commit(false);
        }, retryDelay);
      }
      return;
    }
    retryDelay = 0;
    // Only what committed: a batch refused or put back to wait for a lock says nothing of the next.
    recentBatches.push(batch.length);
    if (recentBatches.length > RECENT_BATCHES) recentBatches.shift();
    batch.forEach((pending, index) => {
      afterCommit(pending.delivery, inserted[index] as DeliverySummary);
      pending.resolve(inserted[index] as DeliverySummary);
    });
  }

  /** Whether the batch, gathered since `since`, should wait another turn for deliveries like the last batches'. */
  function shouldGather(since: number): boolean {
    // Nothing queued (a flush took it, when closing): nothing to wait for.
    if (queue.length === 0) return false;
    return queue.length < Math.max(1, ...recentBatches) && performance.now() - since < gatherForMs;
  }

  function scheduledFlush(): void {
    scheduled = false;
    // While waiting for the lock, the retry takes whatever has queued since.
    if (retry !== null) return;
    gatheringSince ??= performance.now();
    if (shouldGather(gatheringSince)) {
      // The next turn polls for I/O without blocking (an immediate is pending), so the receiver
      // reads whatever has arrived meanwhile.
      scheduled = true;
      schedule(scheduledFlush);
      return;
    }
    commit(false);
  }

  /** Commits what is queued now, without waiting for a lock (used when closing). */
  function flush(): void {
    if (retry !== null) clearTimeout(retry);
    retry = null;
    commit(true);
  }

  function write(delivery: NewDelivery): Promise<DeliverySummary> {
    return new Promise((resolve, reject) => {
      queue.push({ delivery, resolve, reject, since: clock() });
      if (!scheduled) {
        scheduled = true;
        schedule(scheduledFlush);
      }
    });
  }

  return { write, flush };
}

export type DeliveryWriter = ReturnType<typeof createDeliveryWriter>;
