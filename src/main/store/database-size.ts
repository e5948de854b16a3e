import { statSync } from 'node:fs';

/** Bytes the database takes on disk: the file and its write-ahead log (the -shm index is a few KiB). */
export function databaseBytes(file: string): number {
  return sizeOf(file) + sizeOf(`${file}-wal`);
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    // No WAL right after a truncating close; no file at all after the folder was deleted.
    return 0;
  }
}
