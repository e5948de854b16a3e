import { describe, expect, it } from 'vitest';
import { StorageUnavailableError } from '../../../src/main/store/delivery-writer';
import { RelayCursorMoved } from '../../../src/main/store/relay-cursors-repository';
import { RelayTokenNameTaken } from '../../../src/main/store/relay-tokens-repository';
import { openStore } from '../../../src/main/store/store';
import { newDelivery } from '../../helpers/deliveries';
import { tempDir } from '../../helpers/temp-dir';
import { withTempStore } from '../../helpers/temp-store';

const t = withTempStore();
const STREAM = 'https://relay.example.com/relay/v1/stream';

describe('relay tokens (schema 9)', () => {
  it('keeps a name for one active token; a revoked name can be given again', () => {
    const tokens = t.store.relayTokens;
    tokens.add('alice', Buffer.alloc(32, 1), 1_000);
    expect(() => tokens.add('alice', Buffer.alloc(32, 2), 2_000)).toThrow(RelayTokenNameTaken);
    expect(tokens.revoke('alice', 3_000)).toBe(true);
    expect(tokens.revoke('alice', 3_500)).toBe(false);
    tokens.add('alice', Buffer.alloc(32, 3), 4_000);
    expect(tokens.list()).toEqual([
      { name: 'alice', createdAt: 1_000, revokedAt: 3_000, lastUsedAt: null },
      { name: 'alice', createdAt: 4_000, revokedAt: null, lastUsedAt: null },
    ]);
    expect(tokens.hashes().map((token) => [token.hash[0], token.revoked])).toEqual([
      [1, true],
      [3, false],
    ]);
    expect([...tokens.activeIds()]).toEqual([tokens.hashes()[1]?.id]);
  });
});

describe('relay cursors: the place in a stream commits with the delivery it brought', () => {
  it('advances only from where the delivery expects it, in the same transaction', async () => {
    t.store.relayCursors.set(STREAM, { relayId: 'r1', lastId: 10 }, 1);
    await t.store.writeDelivery(newDelivery({ eventId: 'evt_11', relayed: { streamUrl: STREAM, relayId: 'r1', after: 10, id: 11 } }));
    expect(t.store.relayCursors.get(STREAM)).toEqual({ relayId: 'r1', lastId: 11 });

    // One that does not follow (#12 was never committed) is refused, and takes nothing with it.
    const skipped = t.store.writeDelivery(newDelivery({ eventId: 'evt_13', relayed: { streamUrl: STREAM, relayId: 'r1', after: 12, id: 13 } }));
    await expect(skipped).rejects.toBeInstanceOf(StorageUnavailableError);
    await expect(skipped).rejects.toThrow(/does not follow what is committed here/);
    expect(t.store.relayCursors.get(STREAM)).toEqual({ relayId: 'r1', lastId: 11 });
    expect(t.store.deliveries.list().map((row) => row.eventId)).toEqual(['evt_11']);
  });

  it('refuses a delivery of another relay than the one the cursor follows', () => {
    t.store.relayCursors.set(STREAM, { relayId: 'r1', lastId: 10 }, 1);
    expect(() => t.store.relayCursors.advance({ streamUrl: STREAM, relayId: 'r2', after: 10, id: 11 }, 2)).toThrow(RelayCursorMoved);
  });

  it('survives a reopen: what was committed is where the next start resumes', async () => {
    t.store.relayCursors.set(STREAM, { relayId: 'r1', lastId: 0 }, 1);
    await Promise.all([1, 2, 3].map((id) => t.store.writeDelivery(newDelivery({ eventId: `evt_${id}`, relayed: { streamUrl: STREAM, relayId: 'r1', after: id - 1, id } }))));
    t.store.close();
    t.store = openStore(t.dir);
    expect(t.store.relayCursors.get(STREAM)).toEqual({ relayId: 'r1', lastId: 3 });
  });
});

describe('relay stream reads', () => {
  it('walks ids in order, knows the newest ever given and the oldest kept', async () => {
    for (const id of ['evt_a', 'evt_b', 'evt_c']) await t.store.writeDelivery(newDelivery({ eventId: id }));
    t.store.deliveries.remove(1);
    t.store.deliveries.remove(3);
    const stream = t.store.relayStream;
    expect([stream.nextId(0), stream.nextId(2)]).toEqual([2, null]);
    expect([stream.head(), stream.oldest()]).toEqual([3, 2]);
    expect(stream.row(2)).toMatchObject({ id: 2, method: 'POST', signature_status: 'valid', response_status: 200 });
  });
});

describe('a store without search indexing (the relay)', () => {
  it('commits without indexing, and a store opened later indexes what is pending', async () => {
    const dir = tempDir();
    const relayStore = openStore(dir.path, { searchIndex: false });
    await relayStore.writeDelivery(newDelivery({ eventId: 'evt_searchable', searchText: 'findme later' }));
    relayStore.close();
    const through = (file: string) => {
      const again = openStore(file, { searchIndex: false });
      const value = again.db.prepare('SELECT indexed_through FROM search_index_state').pluck().get();
      again.close();
      return value;
    };
    expect(through(dir.path)).toBe(0);
    const later = openStore(dir.path);
    expect(later.deliveries.list({ text: 'evt_searchable' }).map((row) => row.eventId)).toEqual(['evt_searchable']);
    later.close();
    dir.cleanup();
  });
});
