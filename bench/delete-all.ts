/**
 * "Delete all" on the full database, timed in-process through the store: the thread (and so the
 * receiver) is held for that long. Its baseline, in the same run, is the row-by-row delete that
 * Delete all ran before (the count trigger and the foreign keys make SQLite visit every row), on
 * a copy of the same database.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
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

/** `dataDir` must not be in use by a serve process; its deliveries are gone afterwards. */
export function measureDeleteAll(dataDir: string): DeleteAllFigures {
  const file = join(dataDir, DATABASE_FILE);
  const copy = join(dataDir, `row-by-row-${DATABASE_FILE}`);
  // With its log, should one be left: the copy must hold every row.
  for (const suffix of ['', '-wal']) if (existsSync(`${file}${suffix}`)) copyFileSync(`${file}${suffix}`, `${copy}${suffix}`);
  try {
    const rowByRowMs = deleteRowByRow(copy);
    const store = openStore(dataDir);
    try {
      const started = performance.now();
      const rows = store.deliveries.clear();
      return { rows, ms: performance.now() - started, rowByRowMs };
    } finally {
      store.close();
    }
  } finally {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
  }
}

if (require.main === module) {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: bench/delete-all.ts <data-dir> (its deliveries are deleted)');
  const figures = measureDeleteAll(dataDir);
  process.stdout.write(`Delete all, ${figures.rows} rows: ${figures.ms.toFixed(0)} ms; row by row: ${figures.rowByRowMs.toFixed(0)} ms\n`);
}
