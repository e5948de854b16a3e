/**
 * "Delete all" on the full database, timed in-process through the store: the thread (and so the
 * receiver) is held for that long. Its baseline, in the same run, is the row-by-row delete that
 * Delete all ran before (the count trigger and the foreign keys make SQLite visit every row). Each
 * runs on its own copy of the database, written to disk before the clock starts, so the stored
 * database itself is left as it was (BENCH_KEEP=1 keeps it).
 */
import { closeSync, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/main/store/open-database';
import { DATABASE_FILE, openStore } from '../src/main/store/store';

export interface DeleteAllFigures {
  rows: number;
  ms: number;
  rowByRowMs: number;
}

/** What `deliveries.clear()` ran until it truncated: one transaction, every row deleted on its own. */
function deleteRowByRow(file: string): number {
  const db = openDatabase(file);
  try {
    const started = performance.now();
    db.transaction(() => {
      db.exec("INSERT INTO deliveries_fts (deliveries_fts) VALUES ('delete-all'); DELETE FROM events; DELETE FROM deliveries;");
    }).immediate();
    return performance.now() - started;
  } finally {
    db.close();
  }
}

/** A copy of the database (and its log, should one be left) in `folder`, on disk before it returns. */
function copyTo(dataDir: string, folder: string): string {
  mkdirSync(folder, { recursive: true });
  for (const suffix of ['', '-wal']) {
    const from = join(dataDir, `${DATABASE_FILE}${suffix}`);
    if (!existsSync(from)) continue;
    const to = join(folder, `${DATABASE_FILE}${suffix}`);
    copyFileSync(from, to);
    const fd = openSync(to, 'r+');
    fsyncSync(fd);
    closeSync(fd);
  }
  return join(folder, DATABASE_FILE);
}

/** `dataDir` must not be in use by a serve process. */
export function measureDeleteAll(dataDir: string, scratch: string): DeleteAllFigures {
  try {
    const store = openStore(dirname(copyTo(dataDir, join(scratch, 'truncate'))));
    let rows: number;
    let ms: number;
    try {
      const started = performance.now();
      rows = store.deliveries.clear();
      ms = performance.now() - started;
    } finally {
      store.close();
    }
    const rowByRowMs = deleteRowByRow(copyTo(dataDir, join(scratch, 'row-by-row')));
    return { rows, ms, rowByRowMs };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  const [dataDir, scratch] = process.argv.slice(2);
  if (!dataDir || !scratch) throw new Error('usage: bench/delete-all.ts <data-dir> <scratch-dir (removed afterwards)>');
  const figures = measureDeleteAll(dataDir, scratch);
  process.stdout.write(`Delete all, ${figures.rows} rows: ${figures.ms.toFixed(0)} ms; row by row: ${figures.rowByRowMs.toFixed(0)} ms\n`);
}
