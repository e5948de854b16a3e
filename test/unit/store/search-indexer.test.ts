import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createDeliveriesRepository } from '../../../src/main/store/deliveries-repository';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { DATABASE_FILE, openStore } from '../../../src/main/store/store';
import { newDelivery } from '../../helpers/deliveries';
import { withTempStore } from '../../helpers/temp-store';
import { createSupervisor } from '../../../src/main/util/supervisor';

/** PRAGMA synchronous's number for FULL. */
const SYNCHRONOUS_FULL = 2;

/** What the full-text table holds right now, read on its own connection (no flush). */
function indexedIds(dir: string, word: string): number[] {
  const db = new Database(join(dir, DATABASE_FILE), { readonly: true });
  try {
    return db.prepare('SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ? ORDER BY rowid').pluck().all(`"${word}"`) as number[];
  } finally {
    db.close();
  }
}

/** A data folder under `parent` whose database stops at schema `version`, as an older Hooklens left it. */
function databaseAt(parent: string, version: number): string {
  const dir = join(parent, `v${version}`);
  mkdirSync(dir);
  const old = new Database(join(dir, DATABASE_FILE));
  for (const migration of MIGRATIONS.slice(0, version)) old.exec(migration);
  old.pragma(`user_version = ${version}`);
  old.close();
  return dir;
}

/** Rows committed but never handed to an indexer: what a crash right after a commit leaves. */
function commitWithoutIndexing(dir: string, count: number, word: string): void {
  const db = new Database(join(dir, DATABASE_FILE));
  const deliveries = createDeliveriesRepository(db);
  db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const body = Buffer.from(JSON.stringify({ id: `evt_${word}_${i}`, type: 'review.flagged', data: { reason: word } }));
      deliveries.insert(newDelivery({ eventId: `evt_${word}_${i}`, body, bodySize: body.length, searchText: null }));
    }
  })();
  db.close();
}

describe('full-text indexing after the commit', () => {
  const t = withTempStore();

  it('indexes a committed delivery within a moment, without anyone searching', async () => {
    const { id } = await t.store.writeDelivery(newDelivery({ searchText: '{"note":"soonfindable"}' }));
    expect(indexedIds(t.dir, 'soonfindable')).toEqual([]);
    await vi.waitFor(() => expect(indexedIds(t.dir, 'soonfindable')).toEqual([id]), { timeout: 5_000, interval: 50 });
  });

  it('makes everything committed searchable before a search runs', async () => {
    const ids = await Promise.all([1, 2, 3].map((n) => t.store.writeDelivery(newDelivery({ eventId: `evt_${n}`, searchText: `{"word":"rightaway${n}"}` }))));
    expect(t.store.deliveries.list({ text: 'rightaway2' }).map((d) => d.id)).toEqual([ids[1]?.id]);
    expect(t.store.exports.count({ filter: { text: 'rightaway' } })).toBe(3);
  });

  it('never indexes a delivery deleted before its turn came', async () => {
    const kept = await t.store.writeDelivery(newDelivery({ eventId: 'evt_kept', searchText: '{"w":"gonesoon"}' }));
    const gone = await t.store.writeDelivery(newDelivery({ eventId: 'evt_gone', searchText: '{"w":"gonesoon"}' }));
    t.store.deliveries.remove(gone.id);
    t.store.flushSearchIndex();
    expect(indexedIds(t.dir, 'gonesoon')).toEqual([kept.id]);
  });

  it('indexes at the next start, from their bodies, what a crash left unindexed', async () => {
    t.store.close();
    commitWithoutIndexing(t.dir, 3, 'crashed');
    t.store = openStore(t.dir);
    expect(indexedIds(t.dir, 'crashed')).toEqual([1, 2, 3]);
    expect(t.store.deliveries.list({ text: 'crashed' })).toHaveLength(3);
  });

  it('works through a long backlog a step at a time, so the receiver starts meanwhile', async () => {
    t.store.close();
    commitWithoutIndexing(t.dir, 4_500, 'backlog');
    t.store = openStore(t.dir);
    // The first step ran while opening; the rest follow on timers.
    expect(indexedIds(t.dir, 'backlog')).toHaveLength(2_000);
    // Committed while behind: read back from its body with the rest.
    const body = Buffer.from('{"id":"evt_fresh","data":{"w":"backlog"}}');
    const fresh = await t.store.writeDelivery(newDelivery({ eventId: 'evt_fresh', body, bodySize: body.length, searchText: body.toString() }));
    await vi.waitFor(() => expect(indexedIds(t.dir, 'backlog')).toHaveLength(4_501), { timeout: 10_000, interval: 50 });
    expect(indexedIds(t.dir, 'backlog').at(-1)).toBe(fresh.id);
  });

  it('a search during a long backlog waits for two steps at most; the rest follows on timers', async () => {
    t.store.close();
    commitWithoutIndexing(t.dir, 9_000, 'longwait');
    t.store = openStore(t.dir);
    // Opening ran one step; the search two more, not the whole backlog (that held the receiver).
    expect(t.store.deliveries.list({ text: 'longwait', limit: 1_000 })).toHaveLength(1_000);
    expect(indexedIds(t.dir, 'longwait')).toHaveLength(6_000);
    await vi.waitFor(() => expect(indexedIds(t.dir, 'longwait')).toHaveLength(9_000), { timeout: 10_000, interval: 50 });
  });

  it('rebuilds the index with prefix lists from the bodies of a database from before them (version 8)', async () => {
    t.store.close();
    const dir = databaseAt(t.dir, 8);
    commitWithoutIndexing(dir, 30, 'therapy');
    // Version 8's index said it was complete and held none of these words: the rebuild reads the bodies.
    const v8 = new Database(join(dir, DATABASE_FILE));
    v8.prepare('UPDATE search_index_state SET indexed_through = 30').run();
    v8.close();
    t.store = openStore(dir);
    expect(t.store.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'deliveries_fts'").pluck().get()).toContain("prefix='2 3'");
    expect(t.store.deliveries.list({ text: 'th' })).toHaveLength(30);
    expect(t.store.deliveries.list({ text: 'evt_th' })).toHaveLength(30);
    t.store.close();
    t.store = openStore(t.dir);
  });

  it('merges index segments 16 to a level, a little each step, on a database from before that too (version 11)', async () => {
    t.store.close();
    const dir = databaseAt(t.dir, 11);
    t.store = openStore(dir);
    const segments = () => t.store.db.prepare('SELECT count(DISTINCT segid) FROM deliveries_fts_idx').pluck().get() as number;
    const merging = () => t.store.db.prepare("SELECT k, v FROM deliveries_fts_config WHERE k IN ('automerge', 'crisismerge') ORDER BY k").all();
    const index = async (step: number) => {
      const words = Array.from({ length: 4_000 }, (_, w) => `s${step}w${w}`).join(' ');
      await t.store.writeDelivery(newDelivery({ eventId: `evt_segment_${step}`, searchText: `{"w":"segment${step} merged ${words}"}` }));
      t.store.flushSearchIndex();
    };
    // Each step commits one segment. FTS5 merges as it writes, in proportion to the pages written:
    // with its default (4 a level), these segments of 4,000 words each were down to 4 by the 15th.
    for (let step = 1; step <= 15; step++) await index(step);
    expect(segments()).toBe(15);
    // The 16th is not merged with them at once (FTS5's crisis merge did that at 16: 2.3 s at ~400,000 rows).
    await index(16);
    expect(segments()).toBe(16);
    // The level is merged over the next steps instead (one more segment while it is: the merge's output).
    const after: number[] = [];
    for (let step = 17; step <= 40; step++) {
      await index(step);
      after.push(segments());
    }
    expect(Math.min(...after)).toBeLessThan(16);
    expect(t.store.deliveries.list({ text: 'merged', limit: 1_000 })).toHaveLength(40);
    expect(t.store.deliveries.list({ text: 'segment7' })).toHaveLength(1);
    // Kept by the index itself: after a reopen and a Delete all too.
    expect(merging()).toEqual([{ k: 'automerge', v: 16 }, { k: 'crisismerge', v: 64 }]);
    t.store.close();
    t.store = openStore(dir);
    t.store.deliveries.clear();
    expect(merging()).toEqual([{ k: 'automerge', v: 16 }, { k: 'crisismerge', v: 64 }]);
    t.store.close();
    t.store = openStore(t.dir);
  });

  it('loses nothing when indexing cannot run (the database is locked): the search goes ahead, the rows follow', async () => {
    const body = Buffer.from('{"id":"evt_locked","data":{"w":"lockedout"}}');
    const { id } = await t.store.writeDelivery(newDelivery({ eventId: 'evt_locked', body, bodySize: body.length, searchText: body.toString() }));
    const other = new Database(join(t.dir, DATABASE_FILE));
    other.exec('BEGIN IMMEDIATE');
    try {
      expect(t.store.deliveries.list({ text: 'lockedout' })).toEqual([]);
      expect(t.store.db.pragma('synchronous', { simple: true })).toBe(SYNCHRONOUS_FULL);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    expect(t.store.deliveries.list({ text: 'lockedout' }).map((d) => d.id)).toEqual([id]);
    // Index steps commit without an fsync; the deliveries' commits after a step, failed or not, still sync.
    expect(t.store.db.pragma('synchronous', { simple: true })).toBe(SYNCHRONOUS_FULL);
    t.store.close();
    expect(indexedIds(t.dir, 'lockedout')).toEqual([id]);
    t.store = openStore(t.dir);
  });

  it('indexes what another process committed and never indexed (it stopped first)', async () => {
    // Its timers outlive the handle closed below, as a killed process's would not: they report to no one.
    const writer = openStore(t.dir, { supervisor: createSupervisor({ onProblem: () => undefined }) });
    const body = Buffer.from('{"id":"evt_elsewhere","data":{"w":"otherprocess"}}');
    const theirs = await writer.writeDelivery(newDelivery({ eventId: 'evt_elsewhere', body, bodySize: body.length, searchText: body.toString() }));
    // Gone before its indexer ran, as a killed `hooklens import` would be.
    writer.db.close();
    const ours = await t.store.writeDelivery(newDelivery({ eventId: 'evt_here', searchText: '{"w":"otherprocess"}' }));
    t.store.flushSearchIndex();
    expect(indexedIds(t.dir, 'otherprocess')).toEqual([theirs.id, ours.id]);
  });

  it('indexes, while closing, a delivery the close itself committed, with the text the receiver decoded', async () => {
    const pending = t.store.writeDelivery(newDelivery({ eventId: 'evt_last', searchText: '{"w":"atclose"}' }));
    t.store.close();
    const { id } = await pending;
    expect(indexedIds(t.dir, 'atclose')).toEqual([id]);
    t.store = openStore(t.dir);
  });

  it('reports a failure once, backs off while it lasts, and says when it works again', async () => {
    t.store.close();
    const problems: (string | null)[] = [];
    const real = createSupervisor({ onProblem: (_task, problem) => problems.push(problem?.message ?? null) });
    const waits: number[] = [];
    const supervisor = {
      failed: (task: string, error: unknown, retryAt: number | null = null) => {
        waits.push((retryAt ?? 0) - Date.now());
        real.failed(task, error, retryAt);
      },
      recovered: real.recovered,
    };
    t.store = openStore(t.dir, { supervisor });
    const { id } = await t.store.writeDelivery(newDelivery({ eventId: 'evt_backoff', searchText: '{"w":"waitsforlock"}' }));
    // A second connection holds the write lock: every step fails until it lets go.
    const other = new Database(join(t.dir, DATABASE_FILE));
    other.exec('BEGIN IMMEDIATE');
    try {
      await vi.waitFor(() => expect(waits.length).toBeGreaterThanOrEqual(3), { timeout: 10_000, interval: 50 });
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
    // Said once, and each try waited about twice as long as the one before (not 250 ms forever).
    expect(problems).toEqual([expect.stringMatching(/locked|busy/i)]);
    for (let i = 1; i < 3; i++) expect(waits[i]!).toBeGreaterThan(waits[i - 1]! * 1.5);
    await vi.waitFor(() => expect(indexedIds(t.dir, 'waitsforlock')).toEqual([id]), { timeout: 10_000, interval: 50 });
    expect(problems).toEqual([expect.stringMatching(/locked|busy/i), null]);
  });
});
