import type { Db } from './open-database';

/** The tables whose rows go with their delivery (ON DELETE CASCADE), as of schema 6. */
const CHILDREN = ['attempts', 'forward_queue'];
/** The one trigger on deleting a delivery (schema 6): it keeps delivery_counts right. */
const COUNT_ON_DELETE = 'delivery_counts_delete';

/** The schema changed between the check and the write lock (a newer Hooklens migrated the file). */
class SchemaChanged extends Error {}

/**
 * Delete all. Deleting a million deliveries one by one (the count trigger and the foreign keys
 * make SQLite visit each row) held the thread, and so the receiver, 8–11 s. SQLite frees a
 * table's pages whole (its truncate optimisation, ~0.6 s there) only when no delete trigger is on
 * it and no enforced foreign key points at it. So, with this connection's foreign keys off, one
 * transaction does what the trigger and the cascades would, drops the trigger, deletes every row
 * and recreates the trigger from its own stored text: a failure anywhere rolls all of it back.
 *
 * With foreign keys off, that is right only for the tables it knows: if a later migration adds
 * one that points at deliveries, Delete all deletes row by row (right whatever the schema, only
 * slower) until CHILDREN names it. Another delete trigger would stay and run for each row (right,
 * but no truncate). Links and ordinals start over too.
 */
export function createDeleteAll(db: Db) {
  const statements = {
    children: db.prepare<[], string>(
      `SELECT DISTINCT m.name FROM sqlite_master AS m, pragma_foreign_key_list(m.name) AS f
       WHERE m.type = 'table' AND f."table" = 'deliveries' ORDER BY m.name`,
    ).pluck(),
    countTrigger: db.prepare<[], string>(`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = '${COUNT_ON_DELETE}'`).pluck(),
    clearFts: db.prepare("INSERT INTO deliveries_fts (deliveries_fts) VALUES ('delete-all')"),
    clearEvents: db.prepare('DELETE FROM events'),
    // A request sent on its own (Send) belongs to no delivery, and stays as the cascade left it.
    clearAttempts: db.prepare('DELETE FROM attempts WHERE delivery_id IS NOT NULL'),
    clearForwardQueue: db.prepare('DELETE FROM forward_queue'),
    zeroCounts: db.prepare('UPDATE delivery_counts SET n = 0'),
    deleteRows: db.prepare('DELETE FROM deliveries'),
  };

  /** The count trigger's text when truncating is right for this schema; null when it is not. */
  function truncatable(): string | null {
    const children = statements.children.all();
    const known = children.length === CHILDREN.length && children.every((name, index) => name === CHILDREN[index]);
    return known ? (statements.countTrigger.get() ?? null) : null;
  }

  const deleteEachRow = db.transaction((): number => {
    statements.clearFts.run();
    statements.clearEvents.run();
    return statements.deleteRows.run().changes;
  });

  const truncate = db.transaction((countTrigger: string): number => {
    // Read again under the write lock: a newer Hooklens may have migrated the file since.
    if (truncatable() !== countTrigger) throw new SchemaChanged();
    db.exec(`DROP TRIGGER ${COUNT_ON_DELETE}`);
    statements.clearAttempts.run();
    statements.clearForwardQueue.run();
    statements.clearFts.run();
    statements.clearEvents.run();
    statements.zeroCounts.run();
    const removed = statements.deleteRows.run().changes;
    db.exec(countTrigger);
    return removed;
  });

  /** Deletes every delivery; returns how many. */
  return function deleteAll(): number {
    // Inside a transaction already open, the pragma does nothing: the cascades then run as the
    // rows go, row by row, and the result is the same.
    const countTrigger = truncatable();
    if (countTrigger === null) return deleteEachRow.immediate();
    db.pragma('foreign_keys = OFF');
    try {
      return truncate.immediate(countTrigger);
    } catch (error) {
      if (!(error instanceof SchemaChanged)) throw error;
    } finally {
      db.pragma('foreign_keys = ON');
    }
    return deleteEachRow.immediate();
  };
}
