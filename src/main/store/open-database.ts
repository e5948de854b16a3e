import Database from 'better-sqlite3';

export type Db = Database.Database;

export class StoreError extends Error {
  override name = 'StoreError';
}

export interface OpenOptions {
  /** Path to a better-sqlite3 binding built for another runtime (Electron's ABI). */
  nativeBinding?: string;
  readonly?: boolean;
}

const SYNCHRONOUS_FULL = 2;

/**
 * Opens the database with the durability every acknowledged delivery relies on.
 * better-sqlite3 does not carry pragmas across connections, so each open sets and reads
 * them back rather than trusting the file.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    ...(options.nativeBinding ? { nativeBinding: options.nativeBinding } : {}),
  });
  try {
    if (!options.readonly) {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (String(mode).toLowerCase() !== 'wal') throw new StoreError(`Could not switch ${file} to WAL mode (got ${String(mode)}).`);
    }
    db.pragma('synchronous = FULL');
    const synchronous = db.pragma('synchronous', { simple: true });
    if (synchronous !== SYNCHRONOUS_FULL) {
      throw new StoreError(`SQLite kept synchronous=${String(synchronous)} instead of FULL; refusing to acknowledge deliveries that may not survive a crash.`);
    }
    db.pragma('foreign_keys = ON');
    // Another process holding the lock must not freeze this thread (the receiver and the UI run
    // on it): wait only briefly here; the delivery writer retries on a timer instead.
    db.pragma('busy_timeout = 5');
    // Checkpoints run on our timer, not inside a delivery's commit.
    db.pragma('wal_autocheckpoint = 0');
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
