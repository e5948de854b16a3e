import type { Db } from './open-database';

/** A delivery as pruning sees it: in arrival (id) order, with whether it still waits to be forwarded. */
export interface AgedRow {
  id: number;
  receivedAt: number;
  queued: boolean;
}

interface AgedRowRecord {
  id: number;
  received_at: number;
  queued: number;
}

/**
 * The statements retention needs. Pruning walks the oldest rows in id order (the table's own
 * b-tree: no index to add or maintain) and deletes them a batch per transaction. The `events`
 * table is never touched, so duplicate links and ordinals of later retries stay right.
 */
export function createRetentionRepository(db: Db) {
  const statements = {
    // Kept by triggers (migration 6): one read at any size, where count(*) walked an index (~20 ms at 1M).
    count: db.prepare<[], { n: number }>("SELECT coalesce(sum(n), 0) AS n FROM delivery_counts WHERE key LIKE 'signature:%'"),
    nthNewest: db.prepare<[number], number>('SELECT id FROM deliveries ORDER BY id DESC LIMIT 1 OFFSET ?').pluck(),
    oldest: db.prepare<[number, number], AgedRowRecord>(
      `SELECT id, received_at, EXISTS (SELECT 1 FROM forward_queue WHERE delivery_id = deliveries.id) AS queued
       FROM deliveries WHERE id > ? ORDER BY id LIMIT ?`,
    ),
    // Checked again inside the transaction: a forward may have been queued since the walk.
    remove: db.prepare<[number, number]>('DELETE FROM deliveries WHERE id = ? AND NOT EXISTS (SELECT 1 FROM forward_queue WHERE delivery_id = ?)'),
    // A contentless index keeps no copy to delete from: each row is removed by its rowid.
    unindex: db.prepare<[number]>('DELETE FROM deliveries_fts WHERE rowid = ?'),
  };

  // Attempts go with their delivery (ON DELETE CASCADE; open-database.ts turns foreign keys on).
  const removeBatch = db.transaction((ids: readonly number[]): number => {
    let removed = 0;
    for (const id of ids) {
      if (statements.remove.run(id, id).changes === 0) continue;
      statements.unindex.run(id);
      removed++;
    }
    return removed;
  });

  return {
    count: (): number => statements.count.get()?.n ?? 0,
    /** The id of the n-th newest delivery (1: the newest), null when fewer are stored. */
    nthNewestId: (n: number): number | null => statements.nthNewest.get(n - 1) ?? null,
    /**
     * The oldest deliveries after `afterId`, read lazily: stop early by breaking out of the loop.
     * Nothing else may run on the connection until the loop ends.
     */
    *oldest(afterId: number, limit: number): Generator<AgedRow> {
      for (const row of statements.oldest.iterate(afterId, limit)) {
        yield { id: row.id, receivedAt: row.received_at, queued: row.queued === 1 };
      }
    },
    /** Deletes these deliveries (never one waiting in the forward queue) in one transaction; returns how many went. */
    remove: (ids: readonly number[]): number => (ids.length === 0 ? 0 : removeBatch.immediate(ids)),
  };
}

export type RetentionRepository = ReturnType<typeof createRetentionRepository>;
