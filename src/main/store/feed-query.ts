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
function rowConditions(filter: DeliveryFilter, skip: 'types' | 'signatures' | null): Condition[] {
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

function where(conditions: Condition[]): Condition {
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
 * Other filters are checked per row on the way.
 */
export function feedQuery(filter: DeliveryFilter, limit: number, match: string | null): FeedQuery {
  const before: Condition[] = filter.beforeId !== undefined ? [{ sql: 'id < ?', params: [filter.beforeId] }] : [];

  if (match !== null) {
    const rest = where([...before, ...rowConditions(filter, null)]);
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
    const rest = where([...before, ...rowConditions(filter, null)]);
    return { sql: `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE ${rest.sql} ORDER BY id DESC LIMIT ?`, params: [...rest.params, limit] };
  }

  const rest = where([...before, ...rowConditions(filter, driving.skip)]);
  const values = [...new Set(driving.values)];
  // Each branch reads its own index range newest first and stops at `limit`.
  const branches = values.map(() => `SELECT id FROM (SELECT id FROM deliveries WHERE ${driving.column} = ? AND ${rest.sql} ORDER BY id DESC LIMIT ?)`);
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id IN (${branches.join(' UNION ALL ')}) ORDER BY id DESC LIMIT ?`,
    params: [...values.flatMap((value) => [value, ...rest.params, limit]), limit],
  };
}
