import type { DeliveryFilter } from '../../shared/delivery';
import { SUMMARY_COLUMNS } from './delivery-rows';
import { eventIdFeedQuery, eventIdProbe, feedQuery, rowConditions, where, type Condition, type FeedQuery } from './feed-query';
import { eventIdRanges } from './id-search';

/** Runs the queries a plan asks for: one number, rows, or ids one at a time (read lazily). */
export interface QueryRunner {
  value: (query: FeedQuery) => number | null;
  rows: <T>(query: FeedQuery) => T[];
  ids: (query: FeedQuery) => Iterable<number>;
}

/**
 * Past this many, the rows a search's filters allow are many. Counting up to it in their index
 * costs ~3 ms; below it, walking their ids beside the hits is as cheap.
 */
const LARGE = 100_000;
/** The newest hits walked first when the filters allow many rows: a page is usually found within them. */
const WINDOW = 2_000;
/** Below this many matches an event id search reads the id index and sorts (see eventIdFeedQuery). */
const SPARSE_IDS = 10_000;

/**
 * One page of a search, planned by which side is selective. Usually the full-text index yields its
 * hits newest first and the filters are checked on each, stopping after about `limit` rows. When
 * the filters reject most hits ("the" among the 1 % invalid deliveries) that walk reads a row per
 * hit, so the rows the filters allow are counted first (up to LARGE):
 * - few allowed: their ids and the hits (rowids only, ~0.4 µs each) are walked side by side,
 *   newest first, until a page of them is found;
 * - many allowed: the newest WINDOW hits are walked as usual; short of a page (the filters and the
 *   text rarely meet), the older hits are intersected with the allowed ids.
 * An event id, or its start, is looked up by the id instead (id-search.ts).
 */
export function searchPage<T>(run: QueryRunner, filter: DeliveryFilter, limit: number, text: string, ftsQuery: string, large = LARGE): T[] {
  const ranges = eventIdRanges(text);
  if (ranges !== null) {
    const sparse = (run.value(eventIdProbe(ranges, filter, SPARSE_IDS)) ?? 0) < SPARSE_IDS;
    return run.rows(eventIdFeedQuery(ranges, filter, limit, sparse));
  }
  const parts = indexedParts(filter);
  if (parts.length === 0) return run.rows(feedQuery(filter, limit, ftsQuery));
  const allowedBy = where(parts.map((part) => part.condition));
  const before = beforeOf(filter);
  const from = parts.length > 1 ? `deliveries INDEXED BY ${narrowest(run, parts, before, large).index}` : 'deliveries';
  const allowed = run.value({ sql: `SELECT count(*) FROM (SELECT 1 FROM ${from} WHERE ${allowedBy.sql} AND ${before.sql} LIMIT ${large})`, params: [...allowedBy.params, ...before.params] }) ?? 0;
  if (allowed < large) return hitsAmongAllowed<T>(run, filter, limit, ftsQuery, before, from);
  const window = Math.min(WINDOW, large);
  const newest = run.rows<T>(windowWalk(filter, limit, ftsQuery, before, window));
  if (newest.length === limit) return newest;
  const floor = run.value(hitWindow(ftsQuery, before, 'min(rowid)', window));
  if (floor === null) return newest;
  const older = where([before, { sql: 'id < ?', params: [floor] }]);
  return [...newest, ...run.rows<T>(intersected(filter, limit - newest.length, ftsQuery, allowedBy, older))];
}

/**
 * Few rows allowed: the allowed ids (every filter checked, in the indexes) and the hits, both
 * newest first, walked side by side until a page of ids is in both. One type, one verdict or the
 * duplicates come from an index in id order, so the walk stops early; several values are sorted
 * by SQLite first (every allowed row read). Intersecting in SQL took 0.66 s for "the" among the
 * 20,000 duplicates of a million (SQLite sorts every hit), and FTS5 does not seek by rowid range.
 */
function hitsAmongAllowed<T>(run: QueryRunner, filter: DeliveryFilter, limit: number, ftsQuery: string, before: Condition, from: string): T[] {
  const conditions = where([before, ...rowConditions(filter, null)]);
  const allowed = run.ids({ sql: `SELECT id FROM ${from} WHERE ${conditions.sql} ORDER BY id DESC`, params: conditions.params })[Symbol.iterator]();
  const hits = run.ids({ sql: `SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ? AND ${rowidOf(before).sql} ORDER BY rowid DESC`, params: [ftsQuery, ...before.params] })[Symbol.iterator]();
  const page: number[] = [];
  try {
    let id = allowed.next();
    let hit = hits.next();
    while (!id.done && !hit.done && page.length < limit) {
      if (id.value === hit.value) page.push(id.value);
      // Past the newer of the two (both, when they meet).
      const newer = Math.max(id.value, hit.value);
      if (id.value === newer) id = allowed.next();
      if (hit.value === newer) hit = hits.next();
    }
  } finally {
    // Stopped early: both statements are reset, so the connection is free for the next query.
    allowed.return?.();
    hits.return?.();
  }
  if (page.length === 0) return [];
  return run.rows<T>({ sql: `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id DESC`, params: [JSON.stringify(page)] });
}

/** A condition on `deliveries.id` as one on the full-text table's rowid. */
function rowidOf(condition: Condition): Condition {
  return { sql: condition.sql.replaceAll('id <', 'rowid <').replaceAll('id >=', 'rowid >='), params: condition.params };
}

/** A filter an index answers, and that index. */
interface IndexedPart {
  condition: Condition;
  index: 'deliveries_type' | 'deliveries_signature' | 'deliveries_duplicates_newest';
}

/**
 * The filters an index answers (types, verdicts, duplicates only), each with its index. "Not a
 * duplicate" has no index and passes ~98 % of rows: counting what it allows would read the table,
 * so it is checked on each row, as the time range is.
 */
function indexedParts(filter: DeliveryFilter): IndexedPart[] {
  const parts: IndexedPart[] = [];
  const [types] = rowConditions({ types: filter.types }, null);
  if (types) parts.push({ condition: types, index: 'deliveries_type' });
  const [signatures] = rowConditions({ signatures: filter.signatures }, null);
  if (signatures) parts.push({ condition: signatures, index: 'deliveries_signature' });
  const [duplicates] = rowConditions({ duplicates: filter.duplicates === 'only' ? 'only' : undefined }, null);
  if (duplicates) parts.push({ condition: duplicates, index: 'deliveries_duplicates_newest' });
  return parts;
}

/**
 * Of several indexed filters, the one that allows the fewest rows, each counted up to `cap` in its
 * own index (no row read). With no statistics SQLite took the type's index and read every row of
 * the type for its other filters: `the` + one type + duplicates only took ~0.4 s at 300,000 stored.
 */
function narrowest(run: QueryRunner, parts: IndexedPart[], before: Condition, cap: number): IndexedPart {
  const counted = parts.map((part) => ({
    part,
    rows: run.value({ sql: `SELECT count(*) FROM (SELECT 1 FROM deliveries INDEXED BY ${part.index} WHERE ${part.condition.sql} AND ${before.sql} LIMIT ${cap})`, params: [...part.condition.params, ...before.params] }) ?? 0,
  }));
  return counted.reduce((fewest, next) => (next.rows < fewest.rows ? next : fewest)).part;
}

function beforeOf(filter: DeliveryFilter): Condition {
  return filter.beforeId !== undefined ? { sql: 'id < ?', params: [filter.beforeId] } : { sql: '1', params: [] };
}

/** `what` over the newest `large` hits below `before` (e.g. the oldest of them). */
function hitWindow(ftsQuery: string, before: Condition, what: string, large: number): FeedQuery {
  return {
    sql: `SELECT ${what} FROM (SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ? AND ${rowidOf(before).sql} ORDER BY rowid DESC LIMIT ${large})`,
    params: [ftsQuery, ...before.params],
  };
}

/** The newest `large` hits, each row read and checked: the usual walk, with an end. */
function windowWalk(filter: DeliveryFilter, limit: number, ftsQuery: string, before: Condition, large: number): FeedQuery {
  const rest = where([before, ...rowConditions(filter, null)]);
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} FROM (SELECT rowid AS hit FROM deliveries_fts WHERE deliveries_fts MATCH ? AND ${rowidOf(before).sql} ORDER BY rowid DESC LIMIT ${large})
      CROSS JOIN deliveries ON deliveries.id = hit WHERE ${rest.sql} ORDER BY hit DESC LIMIT ?`,
    params: [ftsQuery, ...before.params, ...rest.params, limit],
  };
}

/** Hits and allowed ids intersected below `ceiling` (index reads only); the survivors read newest first. */
function intersected(filter: DeliveryFilter, limit: number, ftsQuery: string, allowedBy: Condition, ceiling: Condition): FeedQuery {
  const rest = where([ceiling, ...rowConditions(filter, null)]);
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id IN (
        SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ? AND ${rowidOf(ceiling).sql}
        INTERSECT SELECT id FROM deliveries WHERE ${allowedBy.sql} AND ${ceiling.sql})
      AND ${rest.sql} ORDER BY id DESC LIMIT ?`,
    params: [ftsQuery, ...ceiling.params, ...allowedBy.params, ...ceiling.params, ...rest.params, limit],
  };
}
