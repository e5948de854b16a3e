import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createAttemptsRepository } from './attempts-repository';
import { createDeliveriesRepository } from './deliveries-repository';
import { createDeliveryWriter, StorageUnavailableError } from './delivery-writer';
import { createExportRepository } from './export-repository';
import { createForwardQueueRepository } from './forward-queue-repository';
import { migrate } from './migrations';
import { openDatabase, type Db, type OpenOptions } from './open-database';
import { createSecretsRepository } from './secrets-repository';
import { createSettingsRepository } from './settings-repository';
import { createSimulationsRepository } from './simulations-repository';

export const DATABASE_FILE = 'hooklens.db';
const CHECKPOINT_EVERY_MS = 2_000;
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

export interface StoreOptions extends OpenOptions {
  checkpointEveryMs?: number;
}

/** One connection and everything built on it; replaced whole when the file is lost. */
function connect(file: string, options: StoreOptions, checkFile: () => void, onFileLost: () => void) {
  if (!options.readonly) closeSync(openSync(file, 'a', 0o600));
  const db = openDatabase(file, options);
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  const deliveries = createDeliveriesRepository(db);
  const writer = createDeliveryWriter(db, deliveries.insert, undefined, () => {
    try {
      checkFile();
    } catch (error) {
      // Rejected first, so this batch is answered 503; later deliveries go to a fresh file.
      queueMicrotask(onFileLost);
      throw error;
    }
  });
  return {
    db,
    deliveries,
    writer,
    attempts: createAttemptsRepository(db),
    forwardQueue: createForwardQueueRepository(db),
    simulations: createSimulationsRepository(db),
    exports: createExportRepository(db),
    secrets: createSecretsRepository(db),
    settings: createSettingsRepository(db),
  };
}

type Connection = ReturnType<typeof connect>;

/** An object whose methods always reach the current connection's repository of that name. */
function current<K extends 'deliveries' | 'attempts' | 'forwardQueue' | 'simulations' | 'exports' | 'secrets' | 'settings'>(connection: () => Connection, name: K): Connection[K] {
  return new Proxy({} as Connection[K], { get: (_target, key) => (connection()[name] as Record<PropertyKey, unknown>)[key] });
}

function identityOf(file: string): string {
  const stats = statSync(file);
  return `${stats.dev}:${stats.ino}`;
}

/** The one writer to `<dataDir>/hooklens.db`. */
export function openStore(dataDir: string, options: StoreOptions = {}) {
  // Payloads and sealed secrets: for this user only. SQLite gives the WAL and SHM files the
  // database file's mode, so creating it 0600 first covers all three.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, DATABASE_FILE);
  let identity = '';

  /**
   * SQLite keeps writing to a database file that was deleted (or replaced) under it, and those
   * rows vanish at the next start: never acknowledge a delivery into a file that is gone.
   */
  function checkFile(): void {
    let now: string | null;
    try {
      now = identityOf(file);
    } catch {
      now = null;
    }
    if (now !== identity) {
      throw new StorageUnavailableError(`${file} was deleted or replaced while Hooklens was running; starting a new database there`);
    }
  }

  let closed = false;
  let reopening = false;

  function reopen(): void {
    if (closed || reopening) return;
    reopening = true;
    const lost = connection;
    try {
      lost.writer.flush();
      lost.db.close();
    } catch {
      // The lost file's handle is abandoned either way.
    }
    try {
      // The whole data folder may be gone too.
      mkdirSync(dataDir, { recursive: true, mode: 0o700 });
      connection = connect(file, options, checkFile, reopen);
      identity = identityOf(file);
    } catch {
      // Still unusable (read-only, full): deliveries keep getting 503, and the next one tries again.
    } finally {
      reopening = false;
    }
  }

  let connection = connect(file, options, checkFile, reopen);
  identity = identityOf(file);

  function checkpoint(mode: 'PASSIVE' | 'TRUNCATE' = 'PASSIVE'): void {
    try {
      connection.db.pragma(`wal_checkpoint(${mode})`);
    } catch {
      // A checkpoint that cannot run now (disk full, locked) is retried on the next tick;
      // the data is already durable in the WAL.
    }
  }

  const timer = setInterval(checkpoint, options.checkpointEveryMs ?? CHECKPOINT_EVERY_MS);
  timer.unref();

  function close(): void {
    closed = true;
    clearInterval(timer);
    connection.writer.flush();
    checkpoint('TRUNCATE');
    connection.db.close();
  }

  return {
    file,
    /** The current raw connection, for tests and maintenance; application code uses the repositories. */
    get db(): Db {
      return connection.db;
    },
    deliveries: current(() => connection, 'deliveries'),
    attempts: current(() => connection, 'attempts'),
    forwardQueue: current(() => connection, 'forwardQueue'),
    simulations: current(() => connection, 'simulations'),
    exports: current(() => connection, 'exports'),
    secrets: current(() => connection, 'secrets'),
    settings: current(() => connection, 'settings'),
    writeDelivery: (delivery: Parameters<Connection['writer']['write']>[0]) => connection.writer.write(delivery),
    checkpoint,
    close,
  };
}

export type Store = ReturnType<typeof openStore>;
