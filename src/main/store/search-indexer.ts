import type { Db } from './open-database';

/**
 * Full-text search covers the first 64 Ki characters of a payload (ReviewSense's are a few KiB):
 * indexing a 5 MiB body word by word held every other delivery's answer.
 */
export const MAX_INDEXED_CHARS = 64 * 1024;
/** How soon a committed delivery becomes searchable. */
const INDEX_EVERY_MS = 250;
/** Pending texts held before indexing at once, whatever the timer says. */
const MAX_PENDING = 4_000;
/** Rows read back per catch-up step (after a crash or a failed batch). */
const CATCH_UP_ROWS = 2_000;

/** The search text of a stored delivery, derived again from its body (after a crash). */
export type SearchTextOf = (body: Buffer, headers: [string, string][]) => string | null;

interface StoredRow {
  id: number;
  body: Buffer | null;
  headers: string;
}

/**
 * Full-text indexing off the commit path. Tokenising inside the receiver's commit cost ~90 µs a
 * delivery (FTS5 flushes its pending terms at every statement savepoint, so small batches index
 * almost row by row); here committed deliveries are indexed together, a few thousand per
 * transaction, within INDEX_EVERY_MS. Search is consistent within that delay.
 *
 * `indexed_through` only moves past rows that are indexed, so nothing is lost to a crash or a
 * failed batch: those rows are read back from the table and indexed from their bodies.
 */
export function createSearchIndexer(db: Db, textOf: SearchTextOf) {
  const statements = {
    through: db.prepare<[], number>('SELECT indexed_through FROM search_index_state').pluck(),
    advance: db.prepare<[number]>('UPDATE search_index_state SET indexed_through = max(indexed_through, ?)'),
    exists: db.prepare<[number], number>('SELECT 1 FROM deliveries WHERE id = ?').pluck(),
    index: db.prepare<[number, string]>('INSERT INTO deliveries_fts (rowid, payload) VALUES (?, ?)'),
    after: db.prepare<[number, number], StoredRow>('SELECT id, body, headers FROM deliveries WHERE id > ? ORDER BY id LIMIT ?'),
  };
  let pending: { id: number; text: string | null }[] = [];
  let timer: NodeJS.Timeout | null = null;
  let behind = false;

  // A delivery deleted before its turn came is not indexed (its id is never reused).
  const indexBatch = db.transaction((batch: { id: number; text: string | null }[]) => {
    for (const { id, text } of batch) if (text && statements.exists.get(id)) statements.index.run(id, text.slice(0, MAX_INDEXED_CHARS));
    const last = batch.at(-1);
    if (last) statements.advance.run(last.id);
  });

  function schedule(): void {
    if (timer !== null) return;
    timer = setTimeout(run, INDEX_EVERY_MS);
    timer.unref();
  }

  /** Reads back up to CATCH_UP_ROWS unindexed rows and indexes them; true when none are left. */
  function catchUpStep(): boolean {
    const rows = statements.after.all(statements.through.get() ?? 0, CATCH_UP_ROWS);
    indexBatch(rows.map((row) => ({ id: row.id, text: row.body ? textOf(row.body, JSON.parse(row.headers) as [string, string][]) : null })));
    return rows.length < CATCH_UP_ROWS;
  }

  function run(): void {
    timer = null;
    try {
      if (behind) {
        // What is pending is newer than the rows being read back: they come in that read.
        pending = [];
        behind = !catchUpStep();
      } else if (pending.length > 0) {
        const batch = pending;
        pending = [];
        try {
          indexBatch(batch);
        } catch (error) {
          behind = true;
          throw error;
        }
      }
    } catch {
      // Locked by another process, or the disk is full: the rows are on disk, and indexed by a
      // later step from there.
    }
    if (behind || pending.length > 0) schedule();
  }

  /** A committed delivery's search text (null: nothing to index), indexed within INDEX_EVERY_MS. */
  function add(id: number, text: string | null): void {
    if (behind) return;
    pending.push({ id, text });
    if (pending.length >= MAX_PENDING) run();
    else schedule();
  }

  /** Indexes everything committed so far (before searching in tests, and when closing). */
  function flush(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (pending.length > 0 && !behind) {
      const batch = pending;
      pending = [];
      indexBatch(batch);
    }
    behind = false;
    while (!catchUpStep());
  }

  /**
   * At open: index what a crash left unindexed. Normally nothing is, and one indexed read says
   * so; a long backlog goes on a step per timer turn so the receiver can start meanwhile.
   */
  function resume(): void {
    try {
      if (catchUpStep()) return;
    } catch {
      // Locked by another process: the steps below retry.
    }
    behind = true;
    schedule();
  }

  function stop(): void {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  return { add, flush, resume, stop };
}

export type SearchIndexer = ReturnType<typeof createSearchIndexer>;
