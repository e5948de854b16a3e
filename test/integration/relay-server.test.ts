import Database from 'better-sqlite3';
import { existsSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { decodeHello } from '../../src/main/relay/protocol';
import { afterEach, describe, expect, it } from 'vitest';
import { Relay, type RelayConfig } from '../../src/main/relay/relay';
import type { SubscriberChange } from '../../src/main/relay/stream-hub';
import { hashToken, newToken } from '../../src/main/relay/tokens';
import { post } from '../helpers/http';
import { deliveryIds, openStream } from '../helpers/relay-stream';
import { tempDir } from '../helpers/temp-dir';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A relay in-process, with the timings a test needs, and a token. */
async function startRelay(config: Partial<RelayConfig> = {}) {
  const dir = tempDir();
  cleanups.push(() => dir.cleanup());
  const token = newToken();
  const relay = new Relay({ dataDir: dir.path, receiver: { port: 0 }, ...config });
  // As `relay token add` does: another connection to the database the relay has just migrated.
  const raw = new Database(join(dir.path, 'hooklens.db'));
  raw.prepare('INSERT INTO relay_tokens (name, hash, created_at) VALUES (?, ?, ?)').run('dev', hashToken(token), Date.now());
  raw.close();
  const changes: SubscriberChange[] = [];
  relay.on('subscriber', (change) => changes.push(change));
  await relay.start();
  let stopped = false;
  cleanups.push(() => (stopped ? undefined : relay.stop()));
  const lastUsed = () => {
    const db = new Database(join(dir.path, 'hooklens.db'), { readonly: true });
    const at = db.prepare('SELECT last_used_at FROM relay_tokens').pluck().get();
    db.close();
    return at;
  };
  /** The token again, in whatever database the relay has now. */
  const addToken = () => {
    const again = new Database(join(dir.path, 'hooklens.db'));
    again.prepare('INSERT INTO relay_tokens (name, hash, created_at) VALUES (?, ?, ?)').run('dev', hashToken(token), Date.now());
    again.close();
  };
  return { relay, changes, lastUsed, addToken, dir: dir.path, auth: { authorization: `Bearer ${token}` }, stop: () => ((stopped = true), relay.stop()) };
}

describe('the relay\'s streams and its receiver\'s limits', () => {
  it('keeps a stream open far past the receiver\'s request timeouts (they bound requests, not answers)', async () => {
    const { relay, auth } = await startRelay({ timeouts: { requestMs: 300, headersMs: 200, checkIntervalMs: 50 }, heartbeatMs: 100 });
    const stream = await openStream(relay.streamUrl as string, auth);
    await stream.waitFor(() => stream.heartbeats() >= 12);
    expect(stream.ended()).toBe(false);
    await post(relay.receiverUrl as string, '{"id":"evt_late"}');
    await stream.waitFor((events) => deliveryIds(events).length === 1);
    stream.close();
  });

  it('cuts a subscriber whose socket took nothing for stallMs, and only that one', async () => {
    const { relay, auth, changes } = await startRelay({ heartbeatMs: 100, stallMs: 400 });
    const stalled = await openStream(relay.streamUrl as string, auth);
    stalled.pauseReading();
    const healthy = await openStream(relay.streamUrl as string, auth);
    const filler = 'x'.repeat(512 * 1024);
    for (let i = 0; i < 40; i++) await post(relay.receiverUrl as string, `{"id":"evt_${i}","filler":"${filler}"}`);
    await healthy.waitFor((events) => deliveryIds(events).length === 40);
    await expect.poll(() => changes.filter((change) => change.status === 'stalled')).toHaveLength(1);
    expect(relay.subscribers()).toBe(1);
    healthy.close();
    stalled.close();
  });

  it('ends every stream when its database is deleted under it and started afresh: ids start over under a new identity', async () => {
    const { relay, auth, dir, addToken } = await startRelay();
    for (let i = 0; i < 3; i++) expect((await post(relay.receiverUrl as string, `{"id":"evt_old_${i}"}`)).status).toBe(200);
    const before = await openStream(relay.streamUrl as string, { ...auth, 'last-event-id': '0' });
    await before.waitFor((events) => deliveryIds(events).length === 3);
    const file = join(dir, 'hooklens.db');
    for (const suffix of ['', '-wal', '-shm']) if (existsSync(file + suffix)) unlinkSync(file + suffix);
    expect((await post(relay.receiverUrl as string, '{"id":"evt_lost"}')).status).toBe(503);
    expect((await post(relay.receiverUrl as string, '{"id":"evt_new"}')).status).toBe(200);
    await before.waitFor(() => before.ended());
    expect(deliveryIds(before.events)).toEqual([1, 2, 3]);

    // The tokens went with the old database: the admin adds them again.
    addToken();
    const after = await openStream(relay.streamUrl as string, { ...auth, 'last-event-id': '0' });
    await after.waitFor((events) => deliveryIds(events).length === 1);
    const [first, second] = [before, after].map((stream) => decodeHello(stream.events[0]?.data ?? ''));
    expect(second?.relay).not.toBe(first?.relay);
    expect(second).toMatchObject({ head: 1, oldest: 1 });
    after.close();
  });

  it('stops at once with streams open, a stalled one included; each subscriber sees its stream end', async () => {
    const { relay, auth, stop, lastUsed } = await startRelay();
    const stalled = await openStream(relay.streamUrl as string, auth);
    stalled.pauseReading();
    const healthy = await openStream(relay.streamUrl as string, auth);
    for (let i = 0; i < 20; i++) await post(relay.receiverUrl as string, `{"id":"evt_${i}","filler":"${'y'.repeat(512 * 1024)}"}`);
    await healthy.waitFor((events) => deliveryIds(events).length === 20);
    await stop();
    await healthy.waitFor(() => healthy.ended());
    expect(relay.subscribers()).toBe(0);
    // When the token was last used is written in the background, and at the latest when stopping.
    expect(lastUsed()).toEqual(expect.any(Number));
    stalled.close();
  });
});
