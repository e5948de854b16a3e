import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';

export interface DbCheck {
  rows: number;
  acked: number;
  missing: number;
  /** Rows whose signature was not `valid` (0 expected, except from the mixed stream's 1 % wrong signatures). */
  notValid: number;
  /** Rows linked as duplicates (0 expected, except from the mixed stream's 2 % retries). */
  duplicates: number;
  integrity: string;
  /** hooklens.db plus its -wal, as left by a clean shutdown (TRUNCATE checkpoint). */
  fileBytes: number;
  bytesPerDelivery: number;
}

function size(file: string): number {
  return existsSync(file) ? statSync(file).size : 0;
}

/**
 * Run after the server has exited. Sizes are read before opening (a reader may create -wal/-shm),
 * then every acknowledged event id is looked up in `deliveries`.
 */
export function checkDatabase(dbFile: string, acked: readonly string[], options: { afterCrash?: boolean } = {}): DbCheck {
  const fileBytes = size(dbFile) + size(`${dbFile}-wal`);
  // After a kill -9 the log may need recovering, which a read-only connection cannot do.
  const db = new Database(dbFile, { readonly: !options.afterCrash, fileMustExist: true });
  try {
    const stored = new Set<string>();
    for (const id of db.prepare('SELECT event_id FROM deliveries WHERE event_id IS NOT NULL').pluck().iterate()) stored.add(id as string);
    const count = (sql: string): number => db.prepare(sql).pluck().get() as number;
    const rows = count('SELECT count(*) FROM deliveries');
    return {
      rows,
      acked: acked.length,
      missing: acked.filter((id) => !stored.has(id)).length,
      notValid: count("SELECT count(*) FROM deliveries WHERE signature_status <> 'valid'"),
      duplicates: count('SELECT count(*) FROM deliveries WHERE duplicate_of IS NOT NULL'),
      integrity: String(db.pragma('quick_check', { simple: true })),
      fileBytes,
      bytesPerDelivery: rows > 0 ? fileBytes / rows : 0,
    };
  } finally {
    db.close();
  }
}
