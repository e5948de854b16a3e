import { Worker } from 'node:worker_threads';

/** The worker could not load SQLite (a packaging problem, not the database's): VACUUM elsewhere. */
export class VacuumWorkerUnavailableError extends Error {
  override name = 'VacuumWorkerUnavailableError';
}

export interface VacuumWorkerOptions {
  /** better-sqlite3's entry file; default: the copy this process loaded. */
  sqliteModule?: string;
  /** better-sqlite3 binding for Electron's ABI (the desktop app), as the store was opened with. */
  nativeBinding?: string;
  /** How long the worker waits for the receiver's write lock between its commits. */
  busyTimeoutMs?: number;
  /** Truncating checkpoints tried, 100 ms apart, while another connection holds the log back. */
  checkpointTries?: number;
}

interface WorkerAnswer {
  ok: boolean;
  stage: 'load' | 'vacuum' | 'checkpoint';
  message?: string;
  code?: string;
}

/**
 * The worker's whole program, evaluated rather than loaded from a file: the same text runs from
 * the sources under vitest, from out/ and from a package's app.asar, with no entry to build and
 * no path to find. It loads the same better-sqlite3 as this process (by its resolved path).
 *
 * In WAL mode VACUUM writes the new file into the log, so a TRUNCATE checkpoint follows here:
 * copying a gigabyte back on the receiver's thread would stall it as long as the VACUUM itself.
 */
const PROGRAM = `
const { parentPort, workerData } = require('node:worker_threads');
let db;
try {
  const Database = require(workerData.sqliteModule);
  db = new Database(workerData.file, workerData.nativeBinding ? { nativeBinding: workerData.nativeBinding } : {});
} catch (error) {
  parentPort.postMessage({ ok: false, stage: 'load', message: String((error && error.message) || error), code: error && error.code });
  return;
}
try {
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = ' + workerData.busyTimeoutMs);
  // Deleted rows leave tombstones in the search index's segments: merge them away first.
  db.exec("INSERT INTO deliveries_fts (deliveries_fts) VALUES ('optimize')");
  db.exec('VACUUM');
  // A reader on another connection can hold the log back: the checkpoint then answers busy
  // rather than failing. Try again for a while; never report the log as reset when it is not.
  let reset = false;
  for (let i = 0; i < workerData.checkpointTries && !reset; i++) {
    reset = db.pragma('wal_checkpoint(TRUNCATE)')[0].busy === 0;
    if (!reset) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
  }
  if (!reset) {
    parentPort.postMessage({ ok: false, stage: 'checkpoint', message: 'The file was compacted, but another connection kept reading, so its write-ahead log could not be reset; the next checkpoint copies it back.' });
    return;
  }
  parentPort.postMessage({ ok: true, stage: 'vacuum' });
} catch (error) {
  parentPort.postMessage({ ok: false, stage: 'vacuum', message: String((error && error.message) || error), code: error && error.code });
} finally {
  db.close();
}
`;

/**
 * VACUUM on a second connection in a worker thread, so this thread keeps answering deliveries.
 * While it holds the write lock their commits are refused (SQLITE_BUSY): the delivery writer
 * retries for 2 s, then the receiver answers 503 and ReviewSense delivers again later.
 */
export function vacuumInWorker(file: string, options: VacuumWorkerOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    let answer: WorkerAnswer | null = null;
    const worker = new Worker(`(() => {${PROGRAM}})();`, {
      eval: true,
      workerData: {
        file,
        sqliteModule: options.sqliteModule ?? require.resolve('better-sqlite3'),
        nativeBinding: options.nativeBinding ?? null,
        busyTimeoutMs: options.busyTimeoutMs ?? 10_000,
        checkpointTries: options.checkpointTries ?? 50,
      },
    });
    worker.on('message', (message: WorkerAnswer) => (answer = message));
    worker.on('error', (error) => reject(new VacuumWorkerUnavailableError(`The compaction thread failed: ${error.message}`, { cause: error })));
    worker.on('exit', () => {
      if (answer?.ok) resolve();
      else if (!answer) reject(new VacuumWorkerUnavailableError('The compaction thread stopped without an answer.'));
      else if (answer.stage === 'load') reject(new VacuumWorkerUnavailableError(`The compaction thread could not load SQLite: ${answer.message ?? 'unknown error'}`));
      else reject(Object.assign(new Error(answer.message ?? 'VACUUM failed'), { code: answer.code }));
    });
  });
}
