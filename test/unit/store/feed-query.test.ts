import { describe, expect, it } from 'vitest';
import type { DeliveryFilter, DeliverySummary } from '../../../src/shared/delivery';
import { SIGNATURE_STATUSES, type SignatureStatus } from '../../../src/shared/reviewsense/catalogue';
import { newDelivery } from '../../helpers/deliveries';
import { withTempStore } from '../../helpers/temp-store';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { DATABASE_FILE, openStore } from '../../../src/main/store/store';
import { toFtsQuery } from '../../../src/main/store/delivery-rows';
import type { FeedQuery } from '../../../src/main/store/feed-query';
import { searchPage, type QueryRunner } from '../../../src/main/store/search-plan';

const TYPES = ['review.analysed', 'review.flagged', 'quota.warning', null] as const;
const WORDS = ['shipping', 'quality', 'price', 'refund', 'parcel'];

/** A small seeded generator, so a failure names a filter that fails again. */
function random(seed: number) {
  let state = seed;
  const next = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  const pick = <T,>(values: readonly T[]): T => values[Math.floor(next() * values.length)] as T;
  const some = <T,>(values: readonly T[]): T[] => values.filter(() => next() < 0.4);
  return { next, pick, some };
}

interface Stored {
  summary: DeliverySummary;
  words: string[];
}

/** The same filter, computed by reading every row: what the index-driven queries must return. */
function expected(rows: Stored[], filter: DeliveryFilter): number[] {
  const terms = filter.text?.split(/\s+/).filter(Boolean) ?? [];
  return rows
    .filter(({ summary: d, words }) =>
      (!filter.types?.length || filter.types.includes(d.eventType as string)) &&
      (!filter.signatures?.length || filter.signatures.includes(d.signatureStatus)) &&
      (filter.duplicates !== 'only' || d.duplicateOf !== null) &&
      (filter.duplicates !== 'exclude' || d.duplicateOf === null) &&
      (filter.since === undefined || d.receivedAt >= filter.since) &&
      (filter.until === undefined || d.receivedAt <= filter.until) &&
      (filter.beforeId === undefined || d.id < filter.beforeId) &&
      // The last word matches as a prefix, the others whole.
      terms.every((term, i) => words.some((word) => (i === terms.length - 1 ? word.startsWith(term) : word === term))),
    )
    .map(({ summary }) => summary.id)
    .sort((a, b) => b - a)
    .slice(0, filter.limit ?? 200);
}

/** Runs a plan's queries, recording the plan of each walk of allowed ids and how many it yielded. */
function recordingRunner(db: Database.Database) {
  const allowed = { read: 0, plans: [] as string[] };
  const runner: QueryRunner = {
    value: (query) => db.prepare(query.sql).pluck().get(...query.params) as number | null,
    rows: <T,>(query: FeedQuery) => db.prepare(query.sql).all(...query.params) as T[],
    ids: function* (query) {
      const allowedSide = query.sql.startsWith('SELECT id FROM deliveries');
      if (allowedSide) allowed.plans.push((db.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.params) as { detail: string }[]).map((step) => step.detail).join('; '));
      for (const id of db.prepare(query.sql).pluck().iterate(...query.params) as IterableIterator<number>) {
        if (allowedSide) allowed.read++;
        yield id;
      }
    },
  };
  return { runner, allowed };
}

describe('the feed query for each filter shape', () => {
  const t = withTempStore();

  it('returns exactly what reading every row would, newest first, for hundreds of random filters', async () => {
    const r = random(7);
    const rows: Stored[] = [];
    for (let i = 0; i < 400; i++) {
      const words = r.some(WORDS);
      const summary = await t.store.writeDelivery(
        newDelivery({
          eventId: r.next() < 0.9 ? `evt_${Math.floor(r.next() * 250)}` : null,
          eventType: r.pick(TYPES),
          signatureStatus: r.pick(SIGNATURE_STATUSES),
          receivedAt: 1_000 * i + Math.floor(r.next() * 5_000),
          searchText: words.length ? JSON.stringify({ words }) : null,
        }),
      );
      rows.push({ summary, words });
    }
    t.store.flushSearchIndex();
    const runner: QueryRunner = {
      value: (query) => t.store.db.prepare(query.sql).pluck().get(...query.params) as number | null,
      rows: <T,>(query: FeedQuery) => t.store.db.prepare(query.sql).all(...query.params) as T[],
      ids: (query) => t.store.db.prepare(query.sql).pluck().iterate(...query.params) as IterableIterator<number>,
    };
    // Links as stored now (an unverified claim can be relinked by a later genuine delivery).
    const stored = rows.map((row) => ({ ...row, summary: t.store.deliveries.get(row.summary.id) as DeliverySummary }));

    for (let i = 0; i < 300; i++) {
      const filter: DeliveryFilter = {};
      if (r.next() < 0.5) filter.types = [...r.some(TYPES.filter((type) => type !== null)), ...(r.next() < 0.1 ? ['no.such.type'] : [])];
      if (r.next() < 0.5) filter.signatures = r.some(SIGNATURE_STATUSES) as SignatureStatus[];
      if (r.next() < 0.3) filter.duplicates = r.pick(['all', 'only', 'exclude'] as const);
      if (r.next() < 0.3) filter.since = Math.floor(r.next() * 300_000);
      if (r.next() < 0.2) filter.until = Math.floor(r.next() * 400_000);
      if (r.next() < 0.4) filter.beforeId = 1 + Math.floor(r.next() * 420);
      if (r.next() < 0.5) filter.limit = 1 + Math.floor(r.next() * 60);
      if (r.next() < 0.5) filter.text = r.next() < 0.5 ? r.pick(WORDS) : `${r.pick(WORDS)} ${r.pick(WORDS).slice(0, 3)}`;
      expect(t.store.deliveries.list(filter).map((d) => d.id), JSON.stringify(filter)).toEqual(expected(stored, filter));
      // Every plan a search can take (which depends on how many rows each side has) gives the same page.
      if (filter.text) {
        for (const large of [2, 9, 60, 1_000]) {
          const page = searchPage<{ id: number }>(runner, filter, filter.limit ?? 200, filter.text, toFtsQuery(filter.text) as string, large);
          expect(page.map((row) => row.id), `${JSON.stringify(filter)} large=${large}`).toEqual(expected(stored, filter));
        }
      }
    }
  });

  it('a search among the duplicates, one verdict or one type walks them newest first beside the hits, from an index, and stops at a page', async () => {
    // 300 deliveries of 100 event ids (200 duplicates), every one holding the word searched.
    for (let i = 0; i < 300; i++) await t.store.writeDelivery(newDelivery({ eventId: `evt_${i % 100}`, searchText: JSON.stringify({ words: ['parcel'] }) }));
    t.store.flushSearchIndex();
    const { runner, allowed } = recordingRunner(t.store.db);
    const filters: DeliveryFilter[] = [{ duplicates: 'only' }, { signatures: ['valid'] }, { types: ['review.analysed'] }];
    for (const filter of filters) {
      allowed.read = 0;
      const page = searchPage<{ id: number }>(runner, { ...filter, text: 'parcel' }, 10, 'parcel', toFtsQuery('parcel') as string, 1_000);
      expect(page.map((row) => row.id)).toEqual(Array.from({ length: 10 }, (_, k) => 300 - k));
      // The newest ten, and the one that showed the page was full: not every allowed id.
      expect(allowed.read, JSON.stringify(filter)).toBeLessThanOrEqual(11);
      // From an index in id order: neither sorted first nor found by reading every row.
      expect(allowed.plans.at(-1), JSON.stringify(filter)).toMatch(/USING (COVERING )?INDEX deliveries_/);
      expect(allowed.plans.at(-1), JSON.stringify(filter)).not.toMatch(/TEMP B-TREE/);
    }
  });

  it('with two indexed filters, the one that allows fewer rows drives the search', async () => {
    // 200 of one type, then 10 duplicates of it and 5 of another type, all holding the word.
    const words = JSON.stringify({ words: ['parcel'] });
    for (let i = 0; i < 200; i++) await t.store.writeDelivery(newDelivery({ eventId: `evt_${i}`, searchText: words }));
    for (let i = 0; i < 10; i++) await t.store.writeDelivery(newDelivery({ eventId: `evt_${i}`, searchText: words }));
    for (let i = 0; i < 5; i++) await t.store.writeDelivery(newDelivery({ eventId: `evt_flagged_${i}`, eventType: 'review.flagged', searchText: words }));
    t.store.flushSearchIndex();
    const { runner, allowed } = recordingRunner(t.store.db);
    const search = (filter: DeliveryFilter) => searchPage<{ id: number }>(runner, { ...filter, text: 'parcel' }, 200, 'parcel', toFtsQuery('parcel') as string).map((row) => row.id);

    // 10 duplicates against 210 of the type: the duplicates' index.
    expect(search({ types: ['review.analysed'], duplicates: 'only' })).toEqual(Array.from({ length: 10 }, (_, k) => 210 - k));
    expect(allowed.plans.at(-1)).toMatch(/INDEX deliveries_duplicates_newest/);
    // 5 of the type against 10 duplicates: the type's index.
    expect(search({ types: ['review.flagged'], duplicates: 'only' })).toEqual([]);
    expect(allowed.plans.at(-1)).toMatch(/INDEX deliveries_type/);
  });

  it('pages through one type newest first without repeating or skipping a row', async () => {
    for (let i = 0; i < 50; i++) await t.store.writeDelivery(newDelivery({ eventId: `evt_${i}`, eventType: i % 3 === 0 ? 'review.flagged' : 'review.analysed' }));
    const seen: number[] = [];
    let beforeId: number | undefined;
    for (;;) {
      const page = t.store.deliveries.list({ types: ['review.flagged', 'review.flagged'], limit: 4, ...(beforeId ? { beforeId } : {}) });
      if (page.length === 0) break;
      seen.push(...page.map((d) => d.id));
      beforeId = page.at(-1)?.id;
    }
    expect(seen).toEqual(Array.from({ length: 17 }, (_, k) => 49 - 3 * k));
  });
});

describe('counts kept by triggers', () => {
  const t = withTempStore();

  /** What a GROUP BY over every row says right now. */
  function recount() {
    const db = t.store.db;
    const bySignature = Object.fromEntries(SIGNATURE_STATUSES.map((status) => [status, 0]));
    for (const row of db.prepare('SELECT signature_status AS s, count(*) AS n FROM deliveries GROUP BY 1').all() as { s: string; n: number }[]) bySignature[row.s] = row.n;
    const total = (db.prepare('SELECT count(*) FROM deliveries').pluck().get() as number);
    const duplicates = db.prepare('SELECT count(*) FROM deliveries WHERE duplicate_of IS NOT NULL').pluck().get() as number;
    return { total, bySignature, duplicates };
  }

  it('agree with a full recount after inserts, relinked claims, deletes and a clear', async () => {
    const r = random(11);
    const ids: number[] = [];
    for (let i = 0; i < 200; i++) {
      // Unverified claims first, then genuine deliveries that take the event over and relink them.
      const status = i < 100 ? r.pick(['invalid', 'missing', 'malformed'] as const) : r.pick(SIGNATURE_STATUSES);
      ids.push((await t.store.writeDelivery(newDelivery({ eventId: `evt_${Math.floor(r.next() * 40)}`, signatureStatus: status }))).id);
      if (i % 7 === 0) t.store.deliveries.remove(r.pick(ids));
      const { throughId, ...counts } = t.store.deliveries.counts();
      expect(counts).toEqual(recount());
      expect(throughId).toBe(ids.at(-1));
    }
    expect(recount().duplicates).toBeGreaterThan(0);
    t.store.deliveries.clear();
    expect(t.store.deliveries.counts()).toMatchObject({ total: 0, duplicates: 0, bySignature: { valid: 0, invalid: 0 } });
  });

  it('are seeded from the rows a database held before they were kept (version 5)', () => {
    t.store.close();
    mkdirSync(join(t.dir, 'v5'));
    const db = new Database(join(t.dir, 'v5', DATABASE_FILE));
    for (const migration of MIGRATIONS.slice(0, 5)) db.exec(migration);
    db.pragma('user_version = 5');
    const insert = db.prepare(`INSERT INTO deliveries (received_at, method, path, headers, body_size, signature_status, duplicate_of, response_status)
      VALUES (1, 'POST', '/', '[]', 0, ?, ?, 200)`);
    for (const [status, duplicateOf] of [['valid', null], ['valid', 1], ['invalid', null], ['missing', 1]] as const) insert.run(status, duplicateOf);
    db.close();
    t.store = openStore(join(t.dir, 'v5'));
    expect(t.store.deliveries.counts()).toEqual({ total: 4, bySignature: { valid: 2, invalid: 1, missing: 1, malformed: 0, unchecked: 0 }, duplicates: 2, throughId: 4 });
    expect(recount()).toMatchObject({ total: 4, duplicates: 2 });
  });
});
