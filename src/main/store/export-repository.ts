import type { DeliveryFilter } from '../../shared/delivery';
import { toDetail, toFtsQuery, type DetailRow, type StoredDeliveryDetail } from './delivery-rows';
import { filterCondition, inRanges, type Condition } from './feed-query';
import { eventIdRanges } from './id-search';
import { createStatementCache } from './statement-cache';
import type { Db } from './open-database';

/** What an export covers: some deliveries by id, or everything a filter shows. */
export type ExportSelection = { ids: number[] } | { filter: DeliveryFilter };

const PAGE = 500;

/**
 * Deliveries read for an export, a page at a time in id order (keyset paging): a long export
 * never holds the connection busy, so the receiver keeps committing between pages. A filter means
 * what it means in the feed (`filterCondition`); `beforeSearch` makes every delivery committed so
 * far searchable (see search-indexer.ts).
 */
export function createExportRepository(db: Db, beforeSearch: () => void = () => undefined) {
  const statements = {
    byIds: db.prepare(`SELECT * FROM deliveries WHERE id IN (SELECT value FROM json_each(:ids)) AND id > :after ORDER BY id LIMIT :limit`),
    countIds: db.prepare<{ ids: string }, { n: number }>(`SELECT count(*) AS n FROM deliveries WHERE id IN (SELECT value FROM json_each(:ids))`),
  };
  const prepared = createStatementCache(db);

  /** The rows a filter selects (searched first when it has text), as SQL after `WHERE`. */
  function selected(filter: DeliveryFilter): Condition {
    const condition = filterCondition(filter);
    // An event id, or its start, is looked up as the feed looks it up: by the id, not the words.
    const ranges = filter.text ? eventIdRanges(filter.text) : null;
    if (ranges !== null) {
      const ids = inRanges(ranges, 'event_id');
      return { sql: `(${ids.sql}) AND ${condition.sql}`, params: [...ids.params, ...condition.params] };
    }
    const match = filter.text ? toFtsQuery(filter.text) : null;
    if (match === null) return condition;
    beforeSearch();
    return {
      sql: `id IN (SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH ?) AND ${condition.sql}`,
      params: [match, ...condition.params],
    };
  }

  function page(selection: ExportSelection, after: number, limit = PAGE): StoredDeliveryDetail[] {
    let rows: unknown[];
    if ('ids' in selection) rows = statements.byIds.all({ ids: JSON.stringify(selection.ids), after, limit });
    else {
      const where = selected(selection.filter);
      rows = prepared(`SELECT * FROM deliveries WHERE ${where.sql} AND id > ? ORDER BY id LIMIT ?`).all(...where.params, after, limit);
    }
    return (rows as DetailRow[]).map(toDetail);
  }

  function count(selection: ExportSelection): number {
    if ('ids' in selection) return statements.countIds.get({ ids: JSON.stringify(selection.ids) })?.n ?? 0;
    const where = selected(selection.filter);
    const row = prepared(`SELECT count(*) AS n FROM deliveries WHERE ${where.sql}`).get(...where.params) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  return { page, count };
}

export type ExportRepository = ReturnType<typeof createExportRepository>;
