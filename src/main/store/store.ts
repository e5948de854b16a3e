import { closeSync, mkdirSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { createAttemptsRepository } from './attempts-repository';
import { createDeliveriesRepository } from './deliveries-repository';
import { createDeliveryWriter } from './delivery-writer';
import { migrate } from './migrations';
import { openDatabase, type OpenOptions } from './open-database';
import { createSecretsRepository } from './secrets-repository';
import { createSettingsRepository } from './settings-repository';

export const DATABASE_FILE = 'hooklens.db';
const CHECKPOINT_EVERY_MS = 2_000;
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

export interface StoreOptions extends OpenOptions {
  checkpointEveryMs?: number;
}

/** The one writer to `<dataDir>/hooklens.db`. */
export function openStore(dataDir: string, options: StoreOptions = {}) {
  // Payloads and sealed secrets: for this user only. SQLite gives the WAL and SHM files the
  // database file's mode, so creating it 0600 first covers all three.
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, DATABASE_FILE);
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
  const writer = createDeliveryWriter(db, deliveries.insert);

  function checkpoint(mode: 'PASSIVE' | 'TRUNCATE' = 'PASSIVE'): void {
    try {
      db.pragma(`wal_checkpoint(${mode})`);
    } catch {
      // A checkpoint that cannot run now (disk full, locked) is retried on the next tick;
      // the data is already durable in the WAL.
    }
  }

  const timer = setInterval(checkpoint, options.checkpointEveryMs ?? CHECKPOINT_EVERY_MS);
  timer.unref();

  function close(): void {
    clearInterval(timer);
    writer.flush();
    checkpoint('TRUNCATE');
    db.close();
  }

  return {
    file,
    /** The raw connection, for tests and maintenance; application code uses the repositories. */
    db,
    deliveries,
    attempts: createAttemptsRepository(db),
    secrets: createSecretsRepository(db),
    settings: createSettingsRepository(db),
    writeDelivery: writer.write,
    checkpoint,
    close,
  };
}

export type Store = ReturnType<typeof openStore>;
