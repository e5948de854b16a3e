import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../../../src/main/profile/samples';
import { sign } from '../../../src/main/profile/signature';
import { largeDatabaseNoticeShown } from '../../../src/renderer/src/store/storage-slice';
import type { Api } from '../../../src/shared/api';
import { LARGE_DATABASE_BYTES, type StorageStatus } from '../../../src/shared/storage';
import { useCoreAndStores } from '../../helpers/core-and-stores';
import { post } from '../../helpers/http';
import { storeSettles } from '../../helpers/store-settles';

const SECRET = 'whsec_test_current';
const { core, connected } = useCoreAndStores();

async function deliver(count: number) {
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify(sampleEvent('webhook.test'));
    await post(core.running.url, body, { 'x-reviewsense-signature': sign(SECRET, body) });
  }
}

describe('storage slice', () => {
  it('loads the size and policy, saves a policy, and follows the prune it starts: list, counts and status', async () => {
    await deliver(5);
    const store = connected();
    await Promise.all([store.getState().loadStorage(), store.getState().loadFeed(), store.getState().loadStatus()]);
    expect(store.getState().storage).toMatchObject({ retention: { kind: 'all' }, retentionSource: 'saved', bytes: expect.any(Number) });
    expect(store.getState().items).toHaveLength(5);

    expect(await store.getState().saveRetention({ kind: 'count', deliveries: 2 })).toBe(true);

    expect(await storeSettles(store, (state) => state.storage?.lastPrune ?? undefined)).toMatchObject({ deleted: 3, error: null });
    // The list is read again and the counts are pushed after the prune.
    await storeSettles(store, (state) => (state.items.length === 2 && state.status?.counts.total === 2) || undefined);
    expect(store.getState().items.map((item) => item.id)).toEqual([5, 4]);
    expect(store.getState().storage).toMatchObject({ retention: { kind: 'count', deliveries: 2 }, pruning: false });
  });

  it('shows a refused policy as a sentence, not an exception', async () => {
    const store = connected();
    expect(await store.getState().saveRetention({ kind: 'count', deliveries: 0 })).toBe(false);
    expect(store.getState().storageError).toMatch(/^retention/);
  });

  it('starts a compaction and takes its end from the pushed status', async () => {
    await deliver(3);
    const store = connected();
    expect(await store.getState().compact()).toBe(true);
    expect(store.getState().storage?.compaction?.state).toBe('running');
    // A VACUUM takes as long as the machine lets it: wait for its end, whatever it is, then judge it.
    const ended = await storeSettles(store, (state) => (state.storage?.compaction?.state === 'running' ? undefined : state.storage?.compaction));
    expect(ended).toMatchObject({ state: 'done' });
  });
});

describe('the notice about a large database that keeps everything', () => {
  /** The real API, with the size read from disk replaced (a gigabyte file is not made for a test). */
  function sized(bytes: () => number): Api {
    const resize = (status: StorageStatus): StorageStatus => ({ ...status, bytes: bytes() });
    return {
      ...core.api,
      getStorage: async () => resize(await core.api.getStorage()),
      setRetention: async (policy) => resize(await core.api.setRetention(policy)),
      on: (event, listener) => core.api.on(event, (payload) => (listener as (value: unknown) => void)(event === 'storage' ? resize(payload as StorageStatus) : payload)),
    };
  }

  it('is shown once past 1 GiB, and stays away once dismissed', async () => {
    let bytes = LARGE_DATABASE_BYTES - 1;
    const store = connected(sized(() => bytes));
    await store.getState().loadStorage();
    expect(largeDatabaseNoticeShown(store.getState())).toBe(false);

    bytes = LARGE_DATABASE_BYTES + 1;
    await store.getState().loadStorage();
    expect(largeDatabaseNoticeShown(store.getState())).toBe(true);
    store.getState().dismissLargeDatabaseNotice();
    await store.getState().loadStorage();
    expect(largeDatabaseNoticeShown(store.getState())).toBe(false);
  });

  it('goes away when the database is back under 1 GiB (a Delete all, then Compact)', async () => {
    let bytes = LARGE_DATABASE_BYTES * 2;
    const store = connected(sized(() => bytes));
    await store.getState().loadStorage();
    expect(largeDatabaseNoticeShown(store.getState())).toBe(true);
    bytes = 8 * 1024;
    await store.getState().loadStorage();
    expect(largeDatabaseNoticeShown(store.getState())).toBe(false);
  });

  it('goes away when a policy is chosen, and is never shown for a database that keeps less', async () => {
    const store = connected(sized(() => LARGE_DATABASE_BYTES * 2));
    await store.getState().loadStorage();
    expect(largeDatabaseNoticeShown(store.getState())).toBe(true);
    await store.getState().saveRetention({ kind: 'age', days: 30 });
    expect(largeDatabaseNoticeShown(store.getState())).toBe(false);

    const other = connected(sized(() => LARGE_DATABASE_BYTES * 2));
    await other.getState().loadStorage();
    expect(largeDatabaseNoticeShown(other.getState())).toBe(false);
  });
});
