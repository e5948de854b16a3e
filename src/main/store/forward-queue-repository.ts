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

/** Deliveries waiting for the app to accept connections again; on disk so they outlive a restart. */
export function createForwardQueueRepository(db: Db) {
  const statements = {
    // Nothing is queued for a delivery deleted while its forward was out.
    enqueue: db.prepare<[number, string, number, number]>(
      'INSERT OR IGNORE INTO forward_queue (delivery_id, target, queued_at) SELECT ?, ?, ? WHERE EXISTS (SELECT 1 FROM deliveries WHERE id = ?)',
    ),
    // Delivery ids grow with arrival: this is the order ReviewSense sent them in.
    list: db.prepare<[number]>('SELECT * FROM forward_queue ORDER BY delivery_id LIMIT ?'),
    count: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM forward_queue'),
    tried: db.prepare<[string, number]>('UPDATE forward_queue SET tries = tries + 1, last_error = ? WHERE delivery_id = ?'),
    remove: db.prepare<[number]>('DELETE FROM forward_queue WHERE delivery_id = ?'),
    clear: db.prepare('DELETE FROM forward_queue'),
  };
  return {
    enqueue: (deliveryId: number, target: string, at: number): void => void statements.enqueue.run(deliveryId, target, at, deliveryId),
    list: (limit = 100): QueuedForward[] => (statements.list.all(limit) as QueueRow[]).map(toQueued),
    count: (): number => statements.count.get()?.n ?? 0,
    tried: (deliveryId: number, error: string): void => void statements.tried.run(error, deliveryId),
    remove: (deliveryId: number): boolean => statements.remove.run(deliveryId).changes > 0,
    clear: (): number => statements.clear.run().changes,
  };
}

export type ForwardQueueRepository = ReturnType<typeof createForwardQueueRepository>;
