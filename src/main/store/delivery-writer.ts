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
 * Group commit: every delivery queued during one event-loop turn is written in a single
 * transaction, and each caller's promise settles only once that transaction has committed
 * (or failed). With synchronous=FULL this turns one fsync per request into one per turn.
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
}

export function createDeliveryWriter(db: Db, insert: (delivery: NewDelivery) => DeliverySummary, hooks: WriterHooks = {}) {
  const { schedule = (flush: () => void) => setImmediate(flush), beforeCommit = () => undefined, afterCommit = () => undefined, clock = Date.now } = hooks;
  let queue: Pending[] = [];
  let scheduled = false;
  let retry: NodeJS.Timeout | null = null;
  let retryDelay = 0;

  const insertBatch = db.transaction((batch: Pending[]) => batch.map((pending) => insert(pending.delivery)));

  function commit(final: boolean): void {
    const batch = queue;
    queue = [];
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
    batch.forEach((pending, index) => {
      afterCommit(pending.delivery, inserted[index] as DeliverySummary);
      pending.resolve(inserted[index] as DeliverySummary);
    });
  }

  function scheduledFlush(): void {
    scheduled = false;
    // While waiting for the lock, the retry takes whatever has queued since.
    if (retry === null) commit(false);
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
