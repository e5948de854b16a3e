/** One sentence for the error box, naming the fix when the SQLite module is built for the wrong runtime. */
export function describeStoreError(error: unknown, dataDir: string): string {
  // The full message: Node splits this one over several lines.
  if (/NODE_MODULE_VERSION|compiled against a different Node\.js version/.test(String((error as Error)?.message ?? error))) {
    return (
      'The SQLite module (better-sqlite3) is built for Node.js, not for Electron. Start the app with `npm start`, ' +
      'which builds .electron-native/better_sqlite3.node, or point HOOKLENS_ELECTRON_NATIVE_BINDING at an Electron build of it.'
    );
  }
  return `Cannot open the database in ${dataDir}: ${oneLine(error)}`;
}

export function oneLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? 'unknown error';
}
