import type { DeliveryFilter } from '../../shared/delivery';
import { SUMMARY_COLUMNS } from './delivery-rows';
import { eventIdFeedQuery, eventIdProbe, feedQuery, rowConditions, where, type Condition, type FeedQuery } from './feed-query';
import { eventIdRanges } from './id-search';

/** Runs the queries a plan asks for: one number, or rows. */
export interface QueryRunner {
  value: (query: FeedQuery) => number | null;
  rows: <T>(query: FeedQuery) => T[];
}

/**
 * Past this many, a side of a search (its full-text hits, or the rows its filters allow) is large.
 * Counting up to it costs a few ms at most; below it, reading that side whole is as cheap.
 */
const LARGE = 20_000;
/** The newest hits walked first when both sides are large: a page of common words is found within them. */
const WINDOW = 2_000;
/** Below this many matches an event id search reads the id index and sorts (see eventIdFeedQuery). */
const SPARSE_IDS = 10_000;

/**
 * One page of a search, planned by which side is selective. Usually the full-text index yields its
 * hits newest first and the filters are checked on each, stopping after about `limit` rows. When
 * the filters reject most hits ("the" among the 1 % invalid deliveries; "shipping", which only
 * analyses mention, among flagged reviews) that walk reads every hit, so both sides are first
 * counted up to LARGE:
 * - few rows allowed, many hits: the filters' indexes drive and each row's text is checked;
 * - both few: the two id lists are intersected (index reads only) and the survivors read;
 * - otherwise: the newest WINDOW hits are walked as usual; short of a page, the older hits are
 *   intersected with the allowed ids.
 * An event id, or its start, is looked up by the id instead (id-search.ts).
 */
export function searchPage<T>(run: QueryRunner, filter: DeliveryFilter, limit: number, text: string, ftsQuery: string, large = LARGE): T[] {
  const ranges = eventIdRanges(text);
  if (ranges !== null) {
    const sparse = (run.value(eventIdProbe(ranges, filter, SPARSE_IDS)) ?? 0) < SPARSE_IDS;
    return run.rows(eventIdFeedQuery(ranges, filter, limit, sparse));
  }
  const allowedBy = indexedFilters(filter);
  if (allowedBy === null) return run.rows(feedQuery(filter, limit, ftsQuery));
  const before = beforeOf(filter);
  const hits = run.value(hitWindow(ftsQuery, before, 'count(*)', large)) ?? 0;
  const allowed = run.value({ sql: `SELECT count(*) FROM (SELECT 1 FROM deliveries WHERE ${allowedBy.sql} AND ${before.sql} LIMIT ${large})`, params: [...allowedBy.params, ...before.params] }) ?? 0;
  if (allowed < large && hits >= large) return allowedInSpans<T>(run, filter, limit, ftsQuery, allowedBy, before);
  if (allowed < large) return run.rows(intersected(filter, limit, ftsQuery, allowedBy, before));
  const window = Math.min(WINDOW, large);
  const newest = run.rows<T>(windowWalk(filter, limit, ftsQuery, before, window));
  if (newest.length === limit || hits < window) return newest;
  const floor = run.value(hitWindow(ftsQuery, before, 'min(rowid)', window)) ?? 0;
  // Not a page among the newest hits: the filters and the text rarely meet, so the older hits are
  // intersected with the allowed ids rather than walked one by one.
  const older = where([before, { sql: 'id < ?', params: [floor] }]);
  return [...newest, ...run.rows<T>(intersected(filter, limit - newest.length, ftsQuery, allowedBy, older))];
}

/** The filters an index answers (types, verdicts, duplicates), as one condition; null without any. */
function indexedFilters(filter: DeliveryFilter): Condition | null {
  const conditions = rowConditions({ types: filter.types, signatures: filter.signatures, duplicates: filter.duplicates }, null);
  return conditions.length === 0 ? null : where(conditions);
}

function beforeOf(filter: DeliveryFilter): Condition {
  return filter.beforeId !== undefined ? { sql: 'id < ?', params: [filter.beforeId] } : { sql: '1', params: [] };
}

/** The row's text matches, checked in the full-text index by its rowid (a seek, not a walk). */
function textMatches(ftsQuery: string): Condition {
  return { sql: 'EXISTS (SELECT 1 FROM deliveries_fts WHERE deliveries_fts MATCH ? AND deliveries_fts.rowid = deliveries.id)', params: [ftsQuery] };
}

/** `what` over the newest `large` hits below `before` (their count, or the oldest of them). */
function hitWindow(ftsQuery: string, before: Condition, what: string, large: number): FeedQuery {
  return {
    sql: `SELECT ${what} FROM (SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ? AND ${before.sql.replace('id <', 'rowid <')} ORDER BY rowid DESC LIMIT ${large})`,
    params: [ftsQuery, ...before.params],
  };
}

/**
 * Few allowed ids, many hits: the newest allowed ids (a page and a quarter) give an id range, and only the hits in
 * that range are intersected with them; the next, older range is four times as many ids, until a
 * page is found. A seek per row (EXISTS … rowid = id) cost ~0.1 ms each in FTS5's set-up.
 */
function allowedInSpans<T>(run: QueryRunner, filter: DeliveryFilter, limit: number, ftsQuery: string, allowedBy: Condition, before: Condition): T[] {
  const found: T[] = [];
  let ceiling = before;
  // A page and a quarter: enough when most allowed rows have the text (a common word).
  for (let span = Math.ceil(limit * 1.25); found.length < limit; span *= 4) {
    const floor = run.value({
      sql: `SELECT min(id) FROM (SELECT id FROM deliveries WHERE ${allowedBy.sql} AND ${ceiling.sql} ORDER BY id DESC LIMIT ${span})`,
      params: [...allowedBy.params, ...ceiling.params],
    });
    if (floor === null) break;
    const range = where([ceiling, { sql: 'id >= ?', params: [floor] }]);
    found.push(...run.rows<T>(intersected(filter, limit - found.length, ftsQuery, allowedBy, range)));
    ceiling = where([before, { sql: 'id < ?', params: [floor] }]);
  }
  return found;
}

/** The newest `large` hits, each row read and checked: the usual walk, with an end. */
function windowWalk(filter: DeliveryFilter, limit: number, ftsQuery: string, before: Condition, large: number): FeedQuery {
  const rest = where([before, ...rowConditions(filter, null)]);
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} FROM (SELECT rowid AS hit FROM deliveries_fts WHERE deliveries_fts MATCH ? AND ${before.sql.replace('id <', 'rowid <')} ORDER BY rowid DESC LIMIT ${large})
      CROSS JOIN deliveries ON deliveries.id = hit WHERE ${rest.sql} ORDER BY hit DESC LIMIT ?`,
    params: [ftsQuery, ...before.params, ...rest.params, limit],
  };
}

/** Hits and allowed ids intersected below `ceiling` (index reads only); the survivors read newest first. */
function intersected(filter: DeliveryFilter, limit: number, ftsQuery: string, allowedBy: Condition, ceiling: Condition): FeedQuery {
  const rest = where([ceiling, ...rowConditions(filter, null)]);
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id IN (
        SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ? AND ${ceiling.sql.replaceAll('id <', 'rowid <').replaceAll('id >=', 'rowid >=')}
        INTERSECT SELECT id FROM deliveries WHERE ${allowedBy.sql} AND ${ceiling.sql})
      AND ${rest.sql} ORDER BY id DESC LIMIT ?`,
    params: [ftsQuery, ...ceiling.params, ...allowedBy.params, ...ceiling.params, ...rest.params, limit],
  };
}
