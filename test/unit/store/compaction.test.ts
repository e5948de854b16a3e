import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { prune } from '../../../src/main/store/prune';
import { openStore, type Store } from '../../../src/main/store/store';
import { newDelivery } from '../../helpers/deliveries';
import { tempDir } from '../../helpers/temp-dir';

/** A store holding 300 deliveries of 16 KiB, pruned to the newest 5: most of the file is free pages. */
async function prunedStore(options: Parameters<typeof openStore>[1] = {}) {
  const dir = tempDir();
  const store = openStore(dir.path, options);
  const body = Buffer.alloc(16 * 1024, 'b');
  // Written in one turn, so in one transaction.
  await Promise.all(Array.from({ length: 300 }, (_, i) => store.writeDelivery(newDelivery({ eventId: `evt_${i}`, body, bodySize: body.length, searchText: `findme ${i}` }))));
  await prune(store.retention, { kind: 'count', deliveries: 5 }, { now: Date.now() });
  store.checkpoint('TRUNCATE');
  return { store, cleanup: () => (store.close(), dir.cleanup()) };
}

async function expectCompacted(store: Store, on: 'worker' | 'main-thread') {
  const before = store.size();
  expect(await store.compact()).toBe(on);
  expect(store.size()).toBeLessThan(before / 4);
  // The log was copied back and truncated by the compaction, not left for this thread.
  expect(store.size()).toBe(store.db.pragma('page_count', { simple: true }) as number * (store.db.pragma('page_size', { simple: true }) as number));
  expect(store.deliveries.list({ text: 'findme' }).map((row) => row.eventId)).toEqual(['evt_299', 'evt_298', 'evt_297', 'evt_296', 'evt_295']);
  expect(await store.writeDelivery(newDelivery({ eventId: 'evt_0' }))).toMatchObject({ id: 301, duplicateOf: 1, deliveryNumber: 2 });
}

describe('compaction', () => {
  it('runs VACUUM on its own connection in a worker thread', async () => {
    const { store, cleanup } = await prunedStore();
    try {
      await expectCompacted(store, 'worker');
    } finally {
      cleanup();
    }
  });

  it('runs on this thread when no worker can load SQLite (a broken package), rather than not at all', async () => {
    const { store, cleanup } = await prunedStore({ vacuumWorker: { sqliteModule: '/nonexistent/better-sqlite3/lib/index.js' } });
    try {
      await expectCompacted(store, 'main-thread');
    } finally {
      cleanup();
    }
  });

  it('refuses a second compaction while one runs', async () => {
    const { store, cleanup } = await prunedStore();
    try {
      const first = store.compact();
      await expect(store.compact()).rejects.toThrow('A compaction is already running.');
      expect(await first).toBe('worker');
    } finally {
      cleanup();
    }
  });

  it('says so when another connection kept the log from being reset, rather than reporting a clean compaction', async () => {
    const { store, cleanup } = await prunedStore({ vacuumWorker: { checkpointTries: 2 } });
    const reader = new Database(store.file, { readonly: true });
    try {
      reader.exec('BEGIN');
      reader.prepare('SELECT count(*) FROM deliveries').get();
      await expect(store.compact()).rejects.toThrow('its write-ahead log could not be reset');
    } finally {
      reader.close();
      cleanup();
    }
  });
});
