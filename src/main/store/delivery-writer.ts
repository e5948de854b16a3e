import type { Db } from './open-database';
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
}

type Schedule = (flush: () => void) => void;

function explain(error: unknown): string {
  const code = (error as { code?: string }).code ?? '';
  if (code === 'SQLITE_FULL') return 'the disk (or the database size limit) is full';
  if (code.startsWith('SQLITE_READONLY')) return 'the database is read-only';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'the database is locked by another process';
  if (code.startsWith('SQLITE_IOERR')) return 'the disk reported an I/O error';
  return error instanceof Error ? error.message : String(error);
}

/**
 * Group commit: every delivery queued during one event-loop turn is written in a single
 * transaction, and each caller's promise settles only once that transaction has committed
 * (or failed). With synchronous=FULL this turns one fsync per request into one per turn.
 */
export function createDeliveryWriter(
  db: Db,
  insert: (delivery: NewDelivery) => DeliverySummary,
  schedule: Schedule = (flush) => setImmediate(flush),
) {
  let queue: Pending[] = [];
  let scheduled = false;

  const insertBatch = db.transaction((batch: Pending[]) => batch.map((pending) => insert(pending.delivery)));

  function flush(): void {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    let inserted: DeliverySummary[];
    try {
      // IMMEDIATE: take the write lock up front, so another process holding it briefly makes us
      // wait (busy_timeout) instead of failing the read-then-write upgrade at once.
      inserted = insertBatch.immediate(batch);
    } catch (error) {
      const failure = new StorageUnavailableError(explain(error), { cause: error });
      for (const pending of batch) pending.reject(failure);
      return;
    }
    batch.forEach((pending, index) => pending.resolve(inserted[index] as DeliverySummary));
  }

  function write(delivery: NewDelivery): Promise<DeliverySummary> {
    return new Promise((resolve, reject) => {
      queue.push({ delivery, resolve, reject });
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    });
  }

  return { write, flush };
}

export type DeliveryWriter = ReturnType<typeof createDeliveryWriter>;
