import type { DeliveryFilter } from '../../shared/delivery';
import { FILTERS, filterParams, toDetail, toFtsQuery, type DetailRow, type StoredDeliveryDetail } from './delivery-rows';
import type { Db } from './open-database';

/** What an export covers: some deliveries by id, or everything a filter shows. */
export type ExportSelection = { ids: number[] } | { filter: DeliveryFilter };

const PAGE = 500;

/**
 * Deliveries read for an export, a page at a time in id order (keyset paging): a long export
 * never holds the connection busy, so the receiver keeps committing between pages.
 */
/** `beforeSearch` makes every delivery committed so far searchable (see search-indexer.ts). */
export function createExportRepository(db: Db, beforeSearch: () => void = () => undefined) {
  const statements = {
    byIds: db.prepare(`SELECT * FROM deliveries WHERE id IN (SELECT value FROM json_each(:ids)) AND id > :after ORDER BY id LIMIT :limit`),
    filtered: db.prepare(`SELECT * FROM deliveries WHERE ${FILTERS} AND id > :after ORDER BY id LIMIT :limit`),
    searched: db.prepare(`SELECT * FROM deliveries WHERE id IN (SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH :match) AND ${FILTERS} AND id > :after ORDER BY id LIMIT :limit`),
    countIds: db.prepare<{ ids: string }, { n: number }>(`SELECT count(*) AS n FROM deliveries WHERE id IN (SELECT value FROM json_each(:ids))`),
    countFiltered: db.prepare(`SELECT count(*) AS n FROM deliveries WHERE ${FILTERS}`),
    countSearched: db.prepare(`SELECT count(*) AS n FROM deliveries WHERE id IN (SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH :match) AND ${FILTERS}`),
  };

  function page(selection: ExportSelection, after: number, limit = PAGE): StoredDeliveryDetail[] {
    let rows: unknown[];
    if ('ids' in selection) rows = statements.byIds.all({ ids: JSON.stringify(selection.ids), after, limit });
    else {
      const match = selection.filter.text ? toFtsQuery(selection.filter.text) : null;
      if (match !== null) beforeSearch();
      const params = { ...filterParams(selection.filter), after, limit };
      rows = match ? statements.searched.all({ ...params, match }) : statements.filtered.all(params);
    }
    return (rows as DetailRow[]).map(toDetail);
  }

  function count(selection: ExportSelection): number {
    if ('ids' in selection) return statements.countIds.get({ ids: JSON.stringify(selection.ids) })?.n ?? 0;
    const match = selection.filter.text ? toFtsQuery(selection.filter.text) : null;
    if (match !== null) beforeSearch();
    const row = (match ? statements.countSearched.get({ ...filterParams(selection.filter), match }) : statements.countFiltered.get(filterParams(selection.filter))) as { n: number } | undefined;
    return row?.n ?? 0;
  }

  return { page, count };
}

export type ExportRepository = ReturnType<typeof createExportRepository>;
