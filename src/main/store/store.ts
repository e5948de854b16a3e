import { closeSync, mkdirSync, openSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createAttemptsRepository } from './attempts-repository';
import { readStoredEnvelope } from '../profile/envelope';
import type { CompactedOn } from '../../shared/storage';
import { createDeliveriesRepository, type NewDelivery } from './deliveries-repository';
import { databaseBytes } from './database-size';
import { createDeliveryWriter, StorageUnavailableError } from './delivery-writer';
import { createExportRepository } from './export-repository';
import { createForwardQueueRepository } from './forward-queue-repository';
import { migrate } from './migrations';
import { openDatabase, type Db, type OpenOptions } from './open-database';
import { createRelayCursorsRepository } from './relay-cursors-repository';
import { createRelayStreamRepository } from './relay-stream-repository';
import { createRelayTokensRepository } from './relay-tokens-repository';
import { createRetentionRepository } from './retention-repository';
import { createSecretsRepository } from './secrets-repository';
import { createSearchIndexer, type SearchTextOf } from './search-indexer';
import { createSettingsRepository } from './settings-repository';
import { createSimulationsRepository } from './simulations-repository';
import { createSupervisor, type Supervisor } from '../util/supervisor';
import { reportProblemToStderr } from '../util/problem-report';
import { vacuumInWorker, VacuumWorkerUnavailableError, type VacuumWorkerOptions } from './vacuum-worker';

export const DATABASE_FILE = 'hooklens.db';
const CHECKPOINT_TASK = 'database checkpoint';
const CHECKPOINT_EVERY_MS = 2_000;
const WAL_SIZE_LIMIT = 64 * 1024 * 1024;

export interface StoreOptions extends OpenOptions {
  checkpointEveryMs?: number;
  /** Where background work (search indexing, checkpoints) reports a failure once; default: stderr. */
  supervisor?: Pick<Supervisor, 'failed' | 'recovered'>;
  /** How compaction's worker loads SQLite (default: the better-sqlite3 this process uses). */
  vacuumWorker?: Pick<VacuumWorkerOptions, 'sqliteModule' | 'checkpointTries'>;
  /**
   * Index payloads for search after each commit (default true). The relay, which nobody searches,
   * turns it off; a Hooklens opened on its data later indexes what is pending at its start.
   */
  searchIndex?: boolean;
}

/** Rows indexed from their stored bodies read the search text again, as the receiver did. */
const searchTextOf: SearchTextOf = (body, headers) => readStoredEnvelope(body, headers).text;

/** One connection and everything built on it; replaced whole when the file is lost. */
function connect(file: string, options: StoreOptions & { supervisor: Pick<Supervisor, 'failed' | 'recovered'> }, checkFile: () => void, onFileLost: () => void) {
  if (!options.readonly) closeSync(openSync(file, 'a', 0o600));
  const db = openDatabase(file, options);
  try {
    migrate(db);
  } catch (error) {
    db.close();
    throw error;
  }
  db.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  const indexer = createSearchIndexer(db, searchTextOf, options.supervisor);
  const indexing = !options.readonly && options.searchIndex !== false;
  if (indexing) indexer.resume();
  const deliveries = createDeliveriesRepository(db, indexer.beforeSearch);
  const forwardQueue = createForwardQueueRepository(db);
  const relayCursors = createRelayCursorsRepository(db);
  // The forward's outbox row commits with its delivery: an acknowledged delivery always has one.
  // A relayed delivery's place in its stream too: a restart resumes right after it, never twice.
  const insert = (delivery: NewDelivery) => {
    const inserted = deliveries.insert(delivery);
    if (delivery.forwardTo) forwardQueue.add(inserted.id, delivery.forwardTo, delivery.receivedAt);
    if (delivery.relayed) relayCursors.advance(delivery.relayed, delivery.receivedAt);
    return inserted;
  };
  const writer = createDeliveryWriter(db, insert, {
    beforeCommit: () => {
      try {
        checkFile();
      } catch (error) {
        // Rejected first, so this batch is answered 503; later deliveries go to a fresh file.
        queueMicrotask(onFileLost);
        throw error;
      }
    },
    // Committed deliveries become searchable shortly after, from the text the receiver decoded.
    afterCommit: indexing ? (delivery, inserted) => indexer.add(inserted.id, delivery.searchText) : undefined,
  });
  return {
    db,
    deliveries,
    writer,
    indexer,
    indexing,
    /** Resolves once committed. */
    writeDelivery: (delivery: NewDelivery) => writer.write(delivery),
    attempts: createAttemptsRepository(db),
    forwardQueue,
    simulations: createSimulationsRepository(db),
    exports: createExportRepository(db, indexer.beforeSearch),
    secrets: createSecretsRepository(db),
    settings: createSettingsRepository(db),
    retention: createRetentionRepository(db),
    relayTokens: createRelayTokensRepository(db),
    relayCursors,
    relayStream: createRelayStreamRepository(db),
  };
}

type Connection = ReturnType<typeof connect>;

/** An object whose methods always reach the current connection's repository of that name. */
type Repository = 'deliveries' | 'attempts' | 'forwardQueue' | 'simulations' | 'exports' | 'secrets' | 'settings' | 'retention' | 'relayTokens' | 'relayCursors' | 'relayStream';

function current<K extends Repository>(connection: () => Connection, name: K): Connection[K] {
  return new Proxy({} as Connection[K], { get: (_target, key) => (connection()[name] as Record<PropertyKey, unknown>)[key] });
}

function identityOf(file: string): string {
  const stats = statSync(file);
  return `${stats.dev}:${stats.ino}`;
}

/** The one writer to `<dataDir>/hooklens.db`. */
export function openStore(dataDir: string, given: StoreOptions = {}) {
  const options = { ...given, supervisor: given.supervisor ?? createSupervisor({ onProblem: reportProblemToStderr }) };
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
      lost.indexer.stop();
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

  // While a compaction runs, the log fills with the whole new file: copying it back is the
  // compaction's job (on its thread), never a timer's on this one.
  let compacting = false;

  function checkpoint(mode: 'PASSIVE' | 'TRUNCATE' = 'PASSIVE'): void {
    if (compacting) return;
    try {
      connection.db.pragma(`wal_checkpoint(${mode})`);
      options.supervisor.recovered(CHECKPOINT_TASK);
    } catch (error) {
      // The data is already durable in the log; a checkpoint that cannot run now (disk full, an
      // I/O error) is retried on the next tick, and said once, since the log grows meanwhile.
      options.supervisor.failed(CHECKPOINT_TASK, error, Date.now() + (options.checkpointEveryMs ?? CHECKPOINT_EVERY_MS));
    }
  }

  const timer = setInterval(checkpoint, options.checkpointEveryMs ?? CHECKPOINT_EVERY_MS);
  timer.unref();

  /**
   * VACUUM (and a truncating checkpoint) on a second connection in a worker thread. If no worker
   * can load SQLite here, it runs on this thread instead, which then answers nothing until done.
   */
  async function compact(): Promise<CompactedOn> {
    if (compacting) throw new Error('A compaction is already running.');
    compacting = true;
    try {
      try {
        await vacuumInWorker(file, { nativeBinding: options.nativeBinding, ...options.vacuumWorker });
        return 'worker';
      } catch (error) {
        if (!(error instanceof VacuumWorkerUnavailableError) || closed) throw error;
      }
      connection.writer.flush();
      connection.db.exec('VACUUM');
      compacting = false;
      checkpoint('TRUNCATE');
      return 'main-thread';
    } finally {
      compacting = false;
    }
  }

  function close(): void {
    closed = true;
    // Closing does not wait for a compaction: its own connection finishes it, or SQLite rolls it
    // back if the process ends first. The log is truncated below if it can be.
    compacting = false;
    clearInterval(timer);
    connection.writer.flush();
    try {
      if (connection.indexing) connection.indexer.flush();
    } catch {
      // Not indexed now (locked, disk full): the next start indexes these rows from their bodies.
    }
    connection.indexer.stop();
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
    retention: current(() => connection, 'retention'),
    relayTokens: current(() => connection, 'relayTokens'),
    relayCursors: current(() => connection, 'relayCursors'),
    relayStream: current(() => connection, 'relayStream'),
    /** Bytes on disk: the database file and its write-ahead log. */
    size: (): number => databaseBytes(file),
    compact,
    writeDelivery: (delivery: NewDelivery) => connection.writeDelivery(delivery),
    /** Makes every committed delivery searchable now, rather than within the indexer's delay. */
    flushSearchIndex: () => connection.indexer.flush(),
    checkpoint,
    close,
  };
}

export type Store = ReturnType<typeof openStore>;
