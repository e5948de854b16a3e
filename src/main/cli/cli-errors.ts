/** The first line of whatever was thrown. */
export function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}

/** Why a data folder cannot hold the database, in one sentence naming the flag that moves it. */
export function describeDataDirError(dataDir: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR' || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY') {
    return `Cannot use data dir ${dataDir}: it is not a writable folder (${code}). Choose another with --data-dir.`;
  }
  return `Cannot open the database in ${dataDir}: ${oneLine(error)}`;
}
