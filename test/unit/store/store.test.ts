import { spawn } from 'node:child_process';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { SCHEMA_VERSION } from '../../../src/main/store/migrations';
import { createDeliveryWriter, StorageUnavailableError } from '../../../src/main/store/delivery-writer';
import { openStore, type Store } from '../../../src/main/store/store';
import { newDelivery } from '../../helpers/deliveries';
import { tempDir } from '../../helpers/temp-dir';
import { withTempStore } from '../../helpers/temp-store';

const LOCK_HOLDER = `
  const Database = require(${JSON.stringify(require.resolve('better-sqlite3'))});
  const db = new Database(process.argv[1]);
  db.exec('BEGIN IMMEDIATE');
  process.stdout.write('locked\\n');
  setTimeout(() => { db.exec('COMMIT'); db.close(); }, 400);
`;

const t = withTempStore();

describe('openStore', () => {
  it('opens in WAL mode with synchronous=FULL on every connection', () => {
    expect(t.store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(t.store.db.pragma('synchronous', { simple: true })).toBe(2);
    t.store.close();
    t.store = openStore(t.dir);
    expect(t.store.db.pragma('synchronous', { simple: true })).toBe(2);
  });

  it('keeps the data folder and database for this user only', async () => {
    const { statSync } = await import('node:fs');
    const fresh = tempDir();
    const own = openStore(`${fresh.path}/nested`);
    await own.writeDelivery(newDelivery());
    expect(statSync(`${fresh.path}/nested`).mode & 0o777).toBe(0o700);
    expect(statSync(own.file).mode & 0o777).toBe(0o600);
    expect(statSync(`${own.file}-wal`).mode & 0o777).toBe(0o600);
    own.close();
    fresh.cleanup();
  });

  it('migrates to the current schema version with the contract columns', () => {
    expect(t.store.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    const columns = (t.store.db.pragma('table_info(deliveries)') as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(
      expect.arrayContaining(['id', 'received_at', 'method', 'path', 'headers', 'body', 'event_id', 'event_type', 'signature_status', 'duplicate_of', 'response_status']),
    );
  });

  it('refuses a database written by a newer Hooklens, with a clear message', () => {
    t.store.close();
    const raw = new Database(`${t.dir}/hooklens.db`);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    expect(() => openStore(t.dir)).toThrow(/newer than this Hooklens understands/);
  });
});

describe('deliveries', () => {
  it('stores the body byte-exact and headers in order with duplicates', async () => {
    const body = Buffer.from([0x00, 0xff, 0x7b, 0x0a]);
    const headers: [string, string][] = [['X-A', '1'], ['x-b', '2'], ['X-A', '3']];
    const { id } = await t.store.writeDelivery(newDelivery({ body, bodySize: 4, headers, searchText: null }));
    const detail = t.store.deliveries.get(id);
    expect(detail?.body).toEqual(body);
    expect(detail?.headers).toEqual(headers);
  });

  it('links later deliveries of an event id to the first, permanently', async () => {
    const first = await t.store.writeDelivery(newDelivery({ eventId: 'evt_a' }));
    await t.store.writeDelivery(newDelivery({ eventId: 'evt_b' }));
    const second = await t.store.writeDelivery(newDelivery({ eventId: 'evt_a' }));
    const third = await t.store.writeDelivery(newDelivery({ eventId: 'evt_a', receivedAt: Date.UTC(2030, 0, 1) }));
    expect(first).toMatchObject({ duplicateOf: null, deliveryNumber: 1 });
    expect(second).toMatchObject({ duplicateOf: first.id, deliveryNumber: 2 });
    expect(third).toMatchObject({ duplicateOf: first.id, deliveryNumber: 3 });
    expect(t.store.deliveries.ofEvent('evt_a').map((d) => d.id)).toEqual([first.id, second.id, third.id]);
  });

  it('keeps links and ordinals when the original is deleted, and starts over after clearing', async () => {
    const first = await t.store.writeDelivery(newDelivery({ eventId: 'evt_kept' }));
    const second = await t.store.writeDelivery(newDelivery({ eventId: 'evt_kept' }));
    expect(t.store.deliveries.remove(first.id)).toBe(true);
    expect(t.store.deliveries.get(second.id)?.duplicateOf).toBe(first.id);
    const third = await t.store.writeDelivery(newDelivery({ eventId: 'evt_kept' }));
    expect(third).toMatchObject({ duplicateOf: first.id, deliveryNumber: 3 });
    // The newest id deleted is never handed out again.
    expect(t.store.deliveries.remove(third.id)).toBe(true);
    const other = await t.store.writeDelivery(newDelivery({ eventId: 'evt_other' }));
    expect(other.id).toBe(third.id + 1);
    t.store.deliveries.clear();
    expect(await t.store.writeDelivery(newDelivery({ eventId: 'evt_kept' }))).toMatchObject({ duplicateOf: null, deliveryNumber: 1 });
  });

  it('never links deliveries without an event id', async () => {
    const a = await t.store.writeDelivery(newDelivery({ eventId: null }));
    const b = await t.store.writeDelivery(newDelivery({ eventId: null }));
    expect([a.duplicateOf, b.duplicateOf]).toEqual([null, null]);
  });

  it('filters by type, signature status, duplicates and time, newest first', async () => {
    await t.store.writeDelivery(newDelivery({ eventId: 'e1', eventType: 'review.flagged', receivedAt: 1000 }));
    await t.store.writeDelivery(newDelivery({ eventId: 'e2', signatureStatus: 'invalid', receivedAt: 2000 }));
    await t.store.writeDelivery(newDelivery({ eventId: 'e1', eventType: 'review.flagged', receivedAt: 3000 }));
    const ids = (filter: Parameters<Store['deliveries']['list']>[0]) => t.store.deliveries.list(filter).map((d) => d.id);
    expect(ids({})).toEqual([3, 2, 1]);
    expect(ids({ types: ['review.flagged'] })).toEqual([3, 1]);
    expect(ids({ signatures: ['invalid'] })).toEqual([2]);
    expect(ids({ duplicates: 'only' })).toEqual([3]);
    expect(ids({ duplicates: 'exclude' })).toEqual([2, 1]);
    expect(ids({ since: 1500, until: 2500 })).toEqual([2]);
    expect(ids({ beforeId: 3, limit: 1 })).toEqual([2]);
  });

  it('searches payload text with full-text search, safely for any input', async () => {
    await t.store.writeDelivery(newDelivery({ eventId: 'evt_shipping', searchText: '{"topics":["shipping","quality"]}' }));
    await t.store.writeDelivery(newDelivery({ eventId: 'evt_other', searchText: '{"topics":["price"]}' }));
    expect(t.store.deliveries.list({ text: 'shipping' }).map((d) => d.eventId)).toEqual(['evt_shipping']);
    expect(t.store.deliveries.list({ text: 'ship' }).map((d) => d.eventId)).toEqual(['evt_shipping']);
    expect(t.store.deliveries.list({ text: 'qual ship' }).map((d) => d.eventId)).toEqual([]);
    expect(t.store.deliveries.list({ text: 'shipping quality' }).map((d) => d.eventId)).toEqual(['evt_shipping']);
    // One character typed is a word of its own, not the start of every word with it.
    await t.store.writeDelivery(newDelivery({ eventId: 'evt_letter', searchText: '{"grade":"a"}' }));
    expect(t.store.deliveries.list({ text: 'a' }).map((d) => d.eventId)).toEqual(['evt_letter']);
    expect(t.store.deliveries.list({ text: 'sh' }).map((d) => d.eventId)).toEqual(['evt_shipping']);
    for (const hostile of ['"', 'AND OR NOT', '(*', 'a:b', '^', '""']) {
      expect(() => t.store.deliveries.list({ text: hostile })).not.toThrow();
    }
  });

  it('deletes one delivery and clears all, including the search index', async () => {
    const { id } = await t.store.writeDelivery(newDelivery({ searchText: 'needle' }));
    await t.store.writeDelivery(newDelivery({ searchText: 'needle too' }));
    expect(t.store.deliveries.remove(id)).toBe(true);
    expect(t.store.deliveries.list({ text: 'needle' })).toHaveLength(1);
    expect(t.store.deliveries.clear()).toBe(1);
    expect(t.store.deliveries.counts().total).toBe(0);
    expect(t.store.deliveries.list({ text: 'needle' })).toHaveLength(0);
  });

  it('counts by signature status and duplicates', async () => {
    await t.store.writeDelivery(newDelivery({ eventId: 'x' }));
    await t.store.writeDelivery(newDelivery({ eventId: 'x', signatureStatus: 'missing' }));
    const counts = t.store.deliveries.counts();
    expect(counts.total).toBe(2);
    expect(counts.bySignature).toMatchObject({ valid: 1, missing: 1, invalid: 0 });
    expect(counts.duplicates).toBe(1);
  });
});

describe('group commit', () => {
  it('writes everything queued in one event-loop turn in one flush, and settles only after it', async () => {
    const flushes: (() => void)[] = [];
    const writer = createDeliveryWriter(t.store.db, t.store.deliveries.insert, { schedule: (flush) => flushes.push(flush) });
    let settled = 0;
    const writes = Array.from({ length: 50 }, (_, i) => writer.write(newDelivery({ eventId: `evt_${i % 5}` })).then((r) => (settled++, r)));
    expect(flushes).toHaveLength(1);
    await Promise.resolve();
    expect(settled).toBe(0);
    expect(t.store.deliveries.counts().total).toBe(0);
    flushes[0]?.();
    const results = await Promise.all(writes);
    expect(results.map((r) => r.id)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(results.filter((r) => r.duplicateOf === null)).toHaveLength(5);
    // Committed: a second connection sees all of them.
    const reader = new Database(t.store.file, { readonly: true });
    expect(reader.prepare('select count(*) n from deliveries').get()).toEqual({ n: 50 });
    reader.close();
  });

  /** A writer on the test's store that records the size of each batch it commits. */
  function countingWriter(gatherForMs: number) {
    const batches: number[] = [];
    const writer = createDeliveryWriter(t.store.db, t.store.deliveries.insert, {
      gatherForMs,
      beforeCommit: () => batches.push(0),
      afterCommit: () => (batches[batches.length - 1] as number)++,
    });
    return { writer, batches };
  }
  const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

  it('gathers a batch that arrives over several turns, up to the size of the last ones', async () => {
    // A wait no turn here comes near: the batch is released by filling it, never by the clock.
    const { writer, batches } = countingWriter(60_000);
    await Promise.all(Array.from({ length: 10 }, () => writer.write(newDelivery())));
    expect(batches).toEqual([10]);

    // The ten clients send again, three or so a turn, as answered clients do.
    const next: Promise<unknown>[] = [];
    for (let i = 0; i < 9; i++) {
      next.push(writer.write(newDelivery()));
      if (i % 3 === 2) await nextTurn();
    }
    expect(t.store.deliveries.counts().total).toBe(10);
    next.push(writer.write(newDelivery()));
    await Promise.all(next);
    expect(batches).toEqual([10, 10]);
    expect(t.store.deliveries.counts().total).toBe(20);
  });

  it('commits a batch that does not fill once its wait is over; a steady single sender never waits', async () => {
    const { writer, batches } = countingWriter(5);
    await Promise.all(Array.from({ length: 10 }, () => writer.write(newDelivery())));
    // Alone after the burst: each waits for the nine that do not come, then is committed.
    for (let i = 0; i < 4; i++) await writer.write(newDelivery());
    expect(batches).toEqual([10, 1, 1, 1, 1]);
    // The burst is forgotten: a lone delivery is committed on its first turn.
    void writer.write(newDelivery());
    await nextTurn();
    expect(t.store.deliveries.counts().total).toBe(15);
    expect(batches).toEqual([10, 1, 1, 1, 1, 1]);
  });

  it('batches writes made in the same turn through the store', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => t.store.writeDelivery(newDelivery({ eventId: 'evt_same' }))));
    expect(results.filter((r) => r.duplicateOf === null)).toHaveLength(1);
    expect(results.map((r) => r.deliveryNumber)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });

  it('rejects every write of a batch the disk cannot take, then recovers', async () => {
    await t.store.writeDelivery(newDelivery());
    const pages = t.store.db.pragma('page_count', { simple: true }) as number;
    t.store.db.pragma(`max_page_count = ${pages}`);
    const big = Buffer.alloc(64 * 1024, 1);
    const failed = await Promise.allSettled([
      t.store.writeDelivery(newDelivery({ body: big, bodySize: big.length })),
      t.store.writeDelivery(newDelivery({ eventId: 'evt_small' })),
    ]);
    for (const result of failed) {
      expect(result.status).toBe('rejected');
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(StorageUnavailableError);
      expect((result as PromiseRejectedResult).reason.message).toMatch(/full/);
    }
    expect(t.store.deliveries.counts().total).toBe(1);
    t.store.db.pragma('max_page_count = 4294967294');
    await expect(t.store.writeDelivery(newDelivery({ body: big, bodySize: big.length }))).resolves.toMatchObject({ id: 2 });
  });

  it('waits for a lock another process holds briefly instead of failing', async () => {
    // Another process (the desktop app and the CLI share a database) holds the write lock for 400 ms.
    const holder = spawn(process.execPath, ['-e', LOCK_HOLDER, t.store.file], { stdio: ['ignore', 'pipe', 'inherit'] });
    const exited = new Promise((resolve) => holder.on('exit', resolve));
    await new Promise<void>((resolve) => holder.stdout.once('data', () => resolve()));
    const started = Date.now();
    await expect(t.store.writeDelivery(newDelivery({ eventId: 'evt_waited' }))).resolves.toMatchObject({ deliveryNumber: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(200);
    await exited;
  });

  it('rejects writes to a read-only database with a reason', async () => {
    t.store.db.pragma('query_only = 1');
    await expect(t.store.writeDelivery(newDelivery())).rejects.toThrow(/read-only|readonly/);
    t.store.db.pragma('query_only = 0');
    await expect(t.store.writeDelivery(newDelivery())).resolves.toMatchObject({ id: 1 });
  });
});

describe('secrets and settings', () => {
  const reversing = {
    scheme: 'test-reverse',
    description: 'reversed, for tests',
    seal: (plain: string) => Buffer.from([...plain].reverse().join('')),
    open: (sealed: Buffer) => [...sealed.toString()].reverse().join(''),
  };

  it('stores secrets sealed, lists them without values, and reveals them only through the cipher', () => {
    const added = t.store.secrets.add(reversing, { label: 'current', value: 'whsec_abc', fingerprint: 'f00d', createdAt: 1 });
    expect(added).not.toHaveProperty('value');
    const raw = t.store.db.prepare('select sealed from secrets').get() as { sealed: Buffer };
    expect(raw.sealed.toString()).toBe('cba_ceshw');
    expect(t.store.secrets.list()).toEqual([expect.objectContaining({ id: added.id, label: 'current', fingerprint: 'f00d', retiredAt: null })]);
    expect(t.store.secrets.reveal(reversing)[0]?.value).toBe('whsec_abc');
    expect(t.store.secrets.reveal({ ...reversing, scheme: 'other' })).toEqual([]);
    expect(t.store.secrets.relabel(added.id, 'previous')).toBe(true);
    expect(t.store.secrets.setRetired(added.id, 5)).toBe(true);
    expect(t.store.secrets.list()[0]).toMatchObject({ label: 'previous', retiredAt: 5 });
    expect(t.store.secrets.remove(added.id)).toBe(true);
    expect(t.store.secrets.list()).toEqual([]);
  });

  it('keeps settings as JSON by key', () => {
    expect(t.store.settings.get('response')).toBeUndefined();
    t.store.settings.put('response', { status: 202 });
    t.store.settings.put('response', { status: 204 });
    expect(t.store.settings.get('response')).toEqual({ status: 204 });
  });
});

describe('attempts', () => {
  it('records an outgoing request linked to its delivery', async () => {
    const { id } = await t.store.writeDelivery(newDelivery());
    const attempt = t.store.attempts.insert({
      deliveryId: id,
      kind: 'replay',
      target: 'http://127.0.0.1:3000/hooks',
      method: 'POST',
      requestHeaders: [['content-type', 'application/json']],
      requestBody: Buffer.from('{}'),
      startedAt: 10,
      durationMs: 12,
      status: 500,
      responseHeaders: [['x-a', 'b']],
      responseBody: Buffer.from('oops'),
      responseTruncated: false,
      error: null,
      delivered: false,
      verdict: 'would fail (answered 500): retry #1 in 5 minutes',
      expect: 'accept',
      ok: false,
      signature: 'valid',
      signedWith: { label: 'current', fingerprint: 'abcd1234' },
      edited: false,
      queued: false,
    });
    expect(t.store.attempts.ofDelivery(id)).toEqual([attempt]);
    expect(attempt).toMatchObject({ delivered: false, verdict: 'would fail (answered 500): retry #1 in 5 minutes', requestBodyBase64: Buffer.from('{}').toString('base64') });
    expect(attempt).toMatchObject({ expect: 'accept', ok: false, signature: 'valid', signedWith: { label: 'current', fingerprint: 'abcd1234' }, edited: false });
    expect(Buffer.from(attempt.responseBodyBase64 ?? '', 'base64').toString()).toBe('oops');
  });
});
