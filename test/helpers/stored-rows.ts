import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Every row of `deliveries` as another tool would read it: its own read-only connection, id order. */
export function storedRows<Row>(dataDir: string): Row[] {
  const db = new Database(join(dataDir, 'hooklens.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT * FROM deliveries ORDER BY id').all() as Row[];
  } finally {
    db.close();
  }
}
