import type { SignatureStatus } from '../../shared/reviewsense/catalogue';
import type { Db } from './open-database';

/** A stored delivery as the relay streams it: what arrived, and what the relay made of it. */
export interface RelayRow {
  id: number;
  received_at: number;
  method: string;
  path: string;
  headers: string;
  raw_headers: string | null;
  body: Buffer | null;
  body_size: number;
  remote_address: string | null;
  signature_status: SignatureStatus;
  response_status: number;
  rejection: string | null;
}

/** The relay's reads for its streams: ids in order (the rowid b-tree), one row or the rows after one, the newest and oldest. */
export function createRelayStreamRepository(db: Db) {
  const columns = 'id, received_at, method, path, headers, raw_headers, body, body_size, remote_address, signature_status, response_status, rejection';
  const statements = {
    next: db.prepare<[number], number>('SELECT id FROM deliveries WHERE id > ? ORDER BY id LIMIT 1').pluck(),
    row: db.prepare<[number], RelayRow>(`SELECT ${columns} FROM deliveries WHERE id = ?`),
    rowsAfter: db.prepare<[number, number], RelayRow>(`SELECT ${columns} FROM deliveries WHERE id > ? ORDER BY id LIMIT ?`),
    // AUTOINCREMENT keeps the highest id ever given, deleted rows included.
    head: db.prepare<[], number>("SELECT seq FROM sqlite_sequence WHERE name = 'deliveries'").pluck(),
    oldest: db.prepare<[], number | null>('SELECT min(id) FROM deliveries').pluck(),
  };
  return {
    /** The first stored delivery after `id`, or null. */
    nextId: (id: number): number | null => statements.next.get(id) ?? null,
    row: (id: number): RelayRow | null => statements.row.get(id) ?? null,
    /** Up to `limit` stored deliveries after `id`, oldest first, one at a time (stop early to read no further). */
    rowsAfter: (id: number, limit: number): IterableIterator<RelayRow> => statements.rowsAfter.iterate(id, limit),
    head: (): number => statements.head.get() ?? 0,
    oldest: (): number | null => statements.oldest.get() ?? null,
  };
}

export type RelayStreamRepository = ReturnType<typeof createRelayStreamRepository>;
