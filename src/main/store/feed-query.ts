import type { DeliveryFilter } from '../../shared/delivery';
import { SUMMARY_COLUMNS } from './delivery-rows';

/** One page of the feed as SQL with positional parameters. */
export interface FeedQuery {
  sql: string;
  params: (string | number)[];
}

export interface Condition {
  sql: string;
  params: (string | number)[];
}

/** Filters checked on each row the driving index (or the search) yields. */
export function rowConditions(filter: DeliveryFilter, skip: 'types' | 'signatures' | null): Condition[] {
  const conditions: Condition[] = [];
  const inList = (column: string, values: readonly string[]): Condition => ({ sql: `${column} IN (${values.map(() => '?').join(', ')})`, params: [...values] });
  if (skip !== 'types' && filter.types?.length) conditions.push(inList('event_type', filter.types));
  if (skip !== 'signatures' && filter.signatures?.length) conditions.push(inList('signature_status', filter.signatures));
  if (filter.duplicates === 'only') conditions.push({ sql: 'duplicate_of IS NOT NULL', params: [] });
  if (filter.duplicates === 'exclude') conditions.push({ sql: 'duplicate_of IS NULL', params: [] });
  if (filter.since !== undefined) conditions.push({ sql: 'received_at >= ?', params: [filter.since] });
  if (filter.until !== undefined) conditions.push({ sql: 'received_at <= ?', params: [filter.until] });
  return conditions;
}

/** Every filter but text and paging, as one condition on `deliveries` (exports read with it). */
export function filterCondition(filter: DeliveryFilter): Condition {
  return where(rowConditions(filter, null));
}

export function where(conditions: Condition[]): Condition {
  if (conditions.length === 0) return { sql: '1', params: [] };
  return { sql: conditions.map((c) => `(${c.sql})`).join(' AND '), params: conditions.flatMap((c) => c.params) };
}

/**
 * The newest `limit` deliveries matching a filter, shaped so SQLite reads only about as many rows
 * as it returns, however many are stored:
 * - a search walks the full-text index newest first (FTS5 yields rowids in order) and stops at `limit`;
 * - a type or verdict filter reads one index range per value (`deliveries_type`,
 *   `deliveries_signature`, both ordered by id) and merges them; walking every row newest first
 *   took ~0.5 s on a million rows when nothing matched;
 * - otherwise the rowid is walked newest first.
 * Other filters (and `extra` conditions) are checked per row on the way.
 */
export function feedQuery(filter: DeliveryFilter, limit: number, match: string | null, extra: Condition[] = []): FeedQuery {
  const before: Condition[] = filter.beforeId !== undefined ? [{ sql: 'id < ?', params: [filter.beforeId] }] : [];

  if (match !== null) {
    const rest = where([...before, ...rowConditions(filter, null), ...extra]);
    return {
      // CROSS JOIN keeps the search as the outer loop, so its rowid order is the page order.
      sql: `SELECT ${SUMMARY_COLUMNS} FROM deliveries_fts CROSS JOIN deliveries ON deliveries.id = deliveries_fts.rowid
        WHERE deliveries_fts MATCH ? AND ${rest.sql} ORDER BY deliveries_fts.rowid DESC LIMIT ?`,
      params: [match, ...rest.params, limit],
    };
  }

  const driving = filter.types?.length ? { column: 'event_type', values: filter.types, skip: 'types' as const }
    : filter.signatures?.length ? { column: 'signature_status', values: filter.signatures, skip: 'signatures' as const }
    : null;
  if (driving === null) {
    // Extra conditions last: SQLite checks terms in order, and they cost more (a full-text seek).
    const rest = where([...before, ...rowConditions(filter, null), ...extra]);
    return { sql: `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE ${rest.sql} ORDER BY id DESC LIMIT ?`, params: [...rest.params, limit] };
  }

  const rest = where([...before, ...rowConditions(filter, driving.skip), ...extra]);
  const values = [...new Set(driving.values)];
  // Each branch reads its own index range newest first and stops at `limit`.
  const branches = values.map(() => `SELECT id FROM (SELECT id FROM deliveries WHERE ${driving.column} = ? AND ${rest.sql} ORDER BY id DESC LIMIT ?)`);
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id IN (${branches.join(' UNION ALL ')}) ORDER BY id DESC LIMIT ?`,
    params: [...values.flatMap((value) => [value, ...rest.params, limit]), limit],
  };
}

/** Rows whose event id falls in one of `ranges`, as SQL (the `+` keeps SQLite off the id index). */
export function inRanges(ranges: readonly [string, string][], column: string): Condition {
  return { sql: ranges.map(() => `(${column} >= ? AND ${column} < ?)`).join(' OR '), params: ranges.flat() };
}

/** How many deliveries an event id search can match, counted up to `cap` in the event id index. */
export function eventIdProbe(ranges: readonly [string, string][], filter: DeliveryFilter, cap: number): FeedQuery {
  const before = filter.beforeId !== undefined ? [filter.beforeId] : [];
  const branches = ranges.map(() => `SELECT 1 FROM deliveries INDEXED BY deliveries_event_id WHERE event_id >= ? AND event_id < ?${before.length ? ' AND id < ?' : ''}`);
  return { sql: `SELECT count(*) FROM (${branches.join(' UNION ALL ')} LIMIT ?)`, params: [...ranges.flatMap((r) => [...r, ...before]), cap] };
}

/**
 * The newest `limit` deliveries whose event id starts as searched. Few matches (`sparse`): read
 * them from the event id index and sort them. Many (`evt_01` matches every id of the decade): walk
 * the feed newest first and check each row, which stops after about `limit` rows.
 */
export function eventIdFeedQuery(ranges: readonly [string, string][], filter: DeliveryFilter, limit: number, sparse: boolean): FeedQuery {
  const before: Condition[] = filter.beforeId !== undefined ? [{ sql: 'id < ?', params: [filter.beforeId] }] : [];
  const rest = where([...before, ...rowConditions(filter, null)]);
  if (sparse) {
    const ids = inRanges(ranges, 'event_id');
    return {
      sql: `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id IN (SELECT id FROM deliveries INDEXED BY deliveries_event_id WHERE ${ids.sql}) AND ${rest.sql} ORDER BY id DESC LIMIT ?`,
      params: [...ids.params, ...rest.params, limit],
    };
  }
  const ids = inRanges(ranges, '+event_id');
  return { sql: `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE (${ids.sql}) AND ${rest.sql} ORDER BY id DESC LIMIT ?`, params: [...ids.params, ...rest.params, limit] };
}
