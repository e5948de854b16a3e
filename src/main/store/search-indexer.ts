import type { Db } from './open-database';
import { createBackoff, type Supervisor } from '../util/supervisor';

export const INDEX_TASK = 'search indexing';

/**
 * Full-text search covers the first 64 Ki characters of a payload (ReviewSense's are a few KiB):
 * indexing a 5 MiB body word by word held every other delivery's answer.
 */
export const MAX_INDEXED_CHARS = 64 * 1024;
/** How soon a committed delivery becomes searchable. */
const INDEX_EVERY_MS = 250;
/** After a failure (locked by another process, disk full), the next step waits up to this long. */
const MAX_BACKOFF_MS = 30_000;
/** Rows indexed per transaction; a longer backlog goes on a step per turn. */
const STEP_ROWS = 2_000;
/** Steps a search waits for at most (~2 × STEP_ROWS rows, the last moments' deliveries at any rate). */
const SEARCH_STEPS = 2;
/** Texts held for rows not indexed yet; beyond it they are read again from the bodies. */
const MAX_HELD_TEXTS = 20_000;

/** The search text of a stored delivery, derived again from its body (after a crash, or from another process). */
export type SearchTextOf = (body: Buffer, headers: [string, string][]) => string | null;

interface BodyRow {
  body: Buffer | null;
  headers: string;
}

/**
 * Full-text indexing off the commit path. Tokenising inside the receiver's commit cost ~40 µs a
 * delivery in a batch of 50, and ~90 µs once triggers were added (FTS5 flushes its pending terms
 * at every statement savepoint, so small batches index almost row by row); here committed
 * deliveries are indexed together, up to STEP_ROWS per transaction, within INDEX_EVERY_MS.
 *
 * Rows are indexed from the table in id order, so `indexed_through` always means "every delivery
 * up to here is indexed", whichever process committed it (`hooklens import` beside a running
 * serve) and whatever failed or crashed before: the text the receiver already decoded is used when
 * this process holds it, the stored body otherwise.
 */
export function createSearchIndexer(db: Db, textOf: SearchTextOf, supervisor: Pick<Supervisor, 'failed' | 'recovered'>) {
  const statements = {
    through: db.prepare<[], number>('SELECT indexed_through FROM search_index_state').pluck(),
    pending: db.prepare<[], number>('SELECT EXISTS (SELECT 1 FROM deliveries WHERE id > (SELECT indexed_through FROM search_index_state))').pluck(),
    advance: db.prepare<[number]>('UPDATE search_index_state SET indexed_through = ?'),
    idsAfter: db.prepare<[number, number], number>('SELECT id FROM deliveries WHERE id > ? ORDER BY id LIMIT ?').pluck(),
    body: db.prepare<[number], BodyRow>('SELECT body, headers FROM deliveries WHERE id = ?'),
    index: db.prepare<[number, string]>('INSERT INTO deliveries_fts (rowid, payload) VALUES (?, ?)'),
  };
  /** Texts of committed deliveries, by id, until indexed (null: nothing to index). */
  const held = new Map<number, string | null>();
  let timer: NodeJS.Timeout | null = null;
  let stopped = false;
  const waits = createBackoff({ firstMs: INDEX_EVERY_MS, maxMs: MAX_BACKOFF_MS });

  function textFor(id: number): string | null {
    const kept = held.get(id);
    if (kept !== undefined) return kept;
    const row = statements.body.get(id);
    return row?.body ? textOf(row.body, JSON.parse(row.headers) as [string, string][]) : null;
  }

  /** Indexes the next rows after the mark; returns how many it read and the mark it left. */
  const indexStep = db.transaction((): { read: number; through: number } => {
    const from = statements.through.get() ?? 0;
    const ids = statements.idsAfter.all(from, STEP_ROWS);
    for (const id of ids) {
      const text = textFor(id);
      if (text) statements.index.run(id, text.slice(0, MAX_INDEXED_CHARS));
    }
    const last = ids.at(-1);
    if (last !== undefined) statements.advance.run(last);
    return { read: ids.length, through: last ?? from };
  });

  /**
   * One step, IMMEDIATE so two processes never index the same rows at once; throws when it cannot run.
   * Committed without an fsync (synchronous=NORMAL for this transaction only): the index and its
   * mark are rebuilt from the bodies if a power cut loses them, and the next delivery's FULL commit
   * syncs the log these frames are in. An fsync here held the receiver's thread every 250 ms.
   */
  function step(): boolean {
    db.pragma('synchronous = NORMAL');
    let stepped: { read: number; through: number };
    try {
      stepped = indexStep.immediate();
    } finally {
      db.pragma('synchronous = FULL');
    }
    const { read, through } = stepped;
    const more = read === STEP_ROWS;
    // Indexed now, here or by another process. After a step that read every row there is, a text
    // still held is of a row deleted before its turn (Delete all, a delete): held, it would bring
    // a step, and its write lock, every INDEX_EVERY_MS until the next delivery.
    if (!more) held.clear();
    else for (const id of held.keys()) if (id <= through) held.delete(id);
    return more;
  }

  function schedule(delay = INDEX_EVERY_MS): void {
    if (timer !== null || stopped) return;
    timer = setTimeout(run, delay);
    timer.unref();
  }

  function run(): void {
    timer = null;
    let more: boolean;
    try {
      more = step();
    } catch (error) {
      // Locked by another process (or a compaction), or the disk is full: nothing moved the mark,
      // so a later step indexes these rows. Said once; each try waits longer, not 250 ms forever.
      const wait = waits.next();
      supervisor.failed(INDEX_TASK, error, Date.now() + wait);
      schedule(wait);
      return;
    }
    waits.reset();
    supervisor.recovered(INDEX_TASK);
    // Nothing more to index: a step that read every row has let go of every held text.
    if (more) schedule(0);
  }

  /** A committed delivery's search text (null: nothing to index), indexed within INDEX_EVERY_MS. */
  function add(id: number, text: string | null): void {
    if (stopped) return;
    if (held.size < MAX_HELD_TEXTS) held.set(id, text);
    schedule();
  }

  /**
   * Indexes everything committed so far, by any process; throws when it cannot (locked, disk full).
   * A plain read first: a search with nothing pending takes no write lock.
   */
  function flush(): void {
    if (statements.pending.get() === 0) return;
    while (step());
  }

  /**
   * Before a search: what was committed lately becomes searchable. A long backlog (the index being
   * rebuilt after an upgrade, a large import by another process) is left to the timer: indexing it
   * all here would hold the receiver for as long. If indexing cannot run now, the search still runs
   * on what is indexed (and the timer retries).
   */
  function beforeSearch(): void {
    try {
      if (statements.pending.get() === 0) return;
      let steps = 0;
      while (step()) {
        if (++steps === SEARCH_STEPS) return schedule(0);
      }
    } catch {
      // The timer's next step reports it (once) and backs off.
      schedule();
    }
  }

  /**
   * At open: what a crash or another process left unindexed, a step now and the rest on timers.
   * Nothing pending (the usual open) costs one read and no write lock.
   */
  function resume(): void {
    if (statements.pending.get() === 0) return;
    try {
      if (step()) schedule(0);
    } catch {
      schedule();
    }
  }

  function stop(): void {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    timer = null;
  }

  return { add, flush, beforeSearch, resume, stop };
}
