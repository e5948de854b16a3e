/** One sentence for the error box, naming the fix when the SQLite module is built for the wrong runtime. */
export function describeStoreError(error: unknown, dataDir: string, isPackaged = false): string {
  // The full message: Node splits this one over several lines.
  if (/NODE_MODULE_VERSION|compiled against a different Node\.js version/.test(String((error as Error)?.message ?? error))) {
    if (isPackaged) {
      // Nothing the user can fix: the packager did not rebuild the module for this Electron.
      return 'The SQLite module (better-sqlite3) in this package was not built for its Electron version: the package is broken. Please report it; meanwhile `npx hooklens serve --ui` opens the same app in a browser (needs Node.js).';
    }
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
