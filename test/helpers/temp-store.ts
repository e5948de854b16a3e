import { afterEach, beforeEach } from 'vitest';
import { openStore, type Store } from '../../src/main/store/store';
import { tempDir } from './temp-dir';

export interface TempStore {
  store: Store;
  /** The data folder of this test's store. */
  dir: string;
}

/** A fresh store in its own folder for each test of the calling file, closed and removed after. */
export function withTempStore(): TempStore {
  const current = {} as TempStore;
  let folder: ReturnType<typeof tempDir>;
  beforeEach(() => {
    folder = tempDir();
    current.dir = folder.path;
    current.store = openStore(folder.path);
  });
  afterEach(() => {
    // A test may close (or replace) the store itself.
    if (current.store.db.open) current.store.close();
    folder.cleanup();
  });
  return current;
}
