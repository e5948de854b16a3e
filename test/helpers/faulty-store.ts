import { openStore, type Store, type StoreOptions } from '../../src/main/store/store';

export type Fault = 'disk-full' | 'read-only';

/**
 * A real SQLite store that the test makes fail on demand: the fault is SQLite's own (a page
 * limit that makes the next write SQLITE_FULL, a read-only connection), set on the handle the
 * test opened and handed to the Inspector through its store factory.
 */
export function faultyStore() {
  let store: Store | null = null;
  const opened = (): Store => {
    if (!store) throw new Error('The Inspector has not opened its store yet.');
    return store;
  };
  return {
    openStore(dataDir: string, hooks?: Pick<StoreOptions, 'supervisor'>): Store {
      store = openStore(dataDir, hooks);
      return store;
    },
    fail(fault: Fault): void {
      const { db } = opened();
      if (fault === 'disk-full') db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`);
      else db.pragma('query_only = 1');
    },
    recover(): void {
      const { db } = opened();
      db.pragma('max_page_count = 4294967294');
      db.pragma('query_only = 0');
    },
  };
}
