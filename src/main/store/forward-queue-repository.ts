import type { Db } from './open-database';

export interface QueuedForward {
  deliveryId: number;
  target: string;
  queuedAt: number;
  tries: number;
  lastError: string | null;
}

interface QueueRow {
  delivery_id: number;
  target: string;
  queued_at: number;
  tries: number;
  last_error: string | null;
}

const toQueued = (row: QueueRow): QueuedForward => ({ deliveryId: row.delivery_id, target: row.target, queuedAt: row.queued_at, tries: row.tries, lastError: row.last_error });

/**
 * The forward outbox: a row for every delivery still to be sent to your app, written in the same
 * transaction as the delivery (so an acknowledged delivery is never without one), and deleted
 * once the app has answered. Delivery ids grow with arrival, so id order is the order to send in.
 */
export function createForwardQueueRepository(db: Db) {
  const statements = {
    // Inside the delivery's own transaction: the delivery is there.
    add: db.prepare<[number, string, number]>('INSERT OR IGNORE INTO forward_queue (delivery_id, target, queued_at) VALUES (?, ?, ?)'),
    after: db.prepare<[number, number]>('SELECT * FROM forward_queue WHERE delivery_id > ? ORDER BY delivery_id LIMIT ?'),
    countAfter: db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM forward_queue WHERE delivery_id > ?'),
    has: db.prepare<[number], number>('SELECT 1 FROM forward_queue WHERE delivery_id = ?').pluck(),
    tried: db.prepare<[string, number]>('UPDATE forward_queue SET tries = tries + 1, last_error = ? WHERE delivery_id = ?'),
    removeThrough: db.prepare<[number]>('DELETE FROM forward_queue WHERE delivery_id <= ?'),
    remove: db.prepare<[number]>('DELETE FROM forward_queue WHERE delivery_id = ?'),
    clear: db.prepare('DELETE FROM forward_queue'),
  };
  return {
    /** Called inside the transaction that inserts the delivery. */
    add: (deliveryId: number, target: string, at: number): void => void statements.add.run(deliveryId, target, at),
    /** What waits after delivery `afterId`, oldest first. */
    list: (afterId = 0, limit = 100): QueuedForward[] => (statements.after.all(afterId, limit) as QueueRow[]).map(toQueued),
    count: (afterId = 0): number => statements.countAfter.get(afterId)?.n ?? 0,
    has: (deliveryId: number): boolean => statements.has.get(deliveryId) === 1,
    tried: (deliveryId: number, error: string): void => void statements.tried.run(error, deliveryId),
    /** Everything up to this delivery id is done (answered, or given up as unsendable). */
    removeThrough: (deliveryId: number): number => statements.removeThrough.run(deliveryId).changes,
    remove: (deliveryId: number): boolean => statements.remove.run(deliveryId).changes > 0,
    clear: (): number => statements.clear.run().changes,
  };
}

export type ForwardQueueRepository = ReturnType<typeof createForwardQueueRepository>;
