import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeDelivery, decodeGap, decodeHello, encodeDelivery } from '../../src/main/relay/protocol';
import { createSseParser, type SseEvent } from '../../src/main/relay/sse-parser';
import { createStreamHub, type StreamHub } from '../../src/main/relay/stream-hub';
import type { RelayStreamRepository } from '../../src/main/store/relay-stream-repository';
import { newDelivery } from '../helpers/deliveries';
import { withTempStore } from '../helpers/temp-store';

const t = withTempStore();
let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((done) => server?.close(done) ?? done(undefined));
  server = null;
});

/** A subscriber on a real socket: every byte after its hello, and the events parsed from them. */
interface RawStream {
  hello: () => SseEvent | undefined;
  /** The bytes after the hello event, as they came. */
  afterHello: () => Buffer;
  events: SseEvent[];
  pause: () => void;
  resume: () => void;
}

/** The hub behind a real HTTP server on loopback: a request's Last-Event-ID is where its stream starts. */
async function hubOnServer(source: RelayStreamRepository = t.store.relayStream): Promise<{ hub: StreamHub; open: (after?: number) => Promise<RawStream> }> {
  const hub = createStreamHub({ source, relayId: () => 'relay_test', heartbeatMs: 60_000, stallMs: 60_000, clock: Date.now, onChange: () => undefined });
  server = createServer((req, res) => {
    const after = req.headers['last-event-id'];
    hub.open(res, { tokenId: 1, name: 'dev' }, after === undefined ? null : Number(after));
  });
  await new Promise<void>((listening) => server?.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  const open = (after?: number) =>
    new Promise<RawStream>((resolve, reject) => {
      const headers: Record<string, string> = after === undefined ? {} : { 'last-event-id': String(after) };
      const req = request({ host: '127.0.0.1', port, path: '/', headers, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        const events: SseEvent[] = [];
        const parser = createSseParser((event) => events.push(event), 64 * 1024 * 1024);
        res.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          parser.feed(chunk);
          if (events.length === 1 && chunks.length === 1) resolve(stream);
        });
        const stream: RawStream = {
          hello: () => events[0],
          afterHello: () => {
            const all = Buffer.concat(chunks);
            return all.subarray(all.indexOf('\n\n', all.indexOf('event: hello')) + 2);
          },
          events,
          pause: () => void res.pause(),
          resume: () => void res.resume(),
        };
      });
      req.on('error', reject);
      req.end();
    });
  return { hub, open };
}

/** Commits `count` deliveries at once (the writer groups them); a stored id list. */
async function store(count: number, bodyBytes = 2_000): Promise<number[]> {
  const writes = Array.from({ length: count }, (_, i) => {
    const filler = String.fromCharCode(97 + (i % 26)).repeat(bodyBytes);
    const body = Buffer.from(`{"id":"evt_${Math.random().toString(36).slice(2)}","type":"webhook.test","data":{"filler":"${filler}"}}`);
    return t.store.writeDelivery(newDelivery({ body, bodySize: body.length, rawHeaders: [['X-Odd', '\u00e9']] }));
  });
  return (await Promise.all(writes)).map((stored) => stored.id);
}

/** Commits `count` deliveries, telling the hub of each as the receiver does. */
async function commit(hub: StreamHub, count: number, bodyBytes = 2_000): Promise<number[]> {
  const ids = await store(count, bodyBytes);
  for (const id of ids) hub.committed(id);
  return ids;
}

/** What each stream must hold: the stored deliveries after `after`, each once, oldest first; a gap told where rows were deleted. */
function expectExactly(stream: RawStream, after: number, last: number, deleted: ReadonlySet<number>): void {
  expect(decodeHello(stream.hello()?.data ?? '').after).toBe(after);
  const expected: string[] = [];
  for (let id = after + 1; id <= last; id++) {
    if (!deleted.has(id)) {
      expected.push(`delivery ${id}`);
      continue;
    }
    let next = id;
    while (deleted.has(next)) next++;
    expected.push(`gap ${id - 1}→${next} (${next - id})`);
    id = next - 1;
  }
  const told = stream.events.slice(1).map((event) => {
    if (event.event === 'gap') {
      const gap = decodeGap(event.data);
      return `gap ${gap.after}→${gap.next} (${gap.missed})`;
    }
    return `${event.event} ${event.id}`;
  });
  expect(told).toEqual(expected);
  for (const event of stream.events.filter((e) => e.event === 'delivery')) {
    const row = t.store.relayStream.row(Number(event.id));
    if (!row) throw new Error(`delivery ${event.id} is not stored`);
    // Byte for byte what is stored; `head` is when it was encoded, and may differ between streams.
    const { head: _sent, ...sent } = decodeDelivery(event.data);
    const { head: _stored, ...stored } = decodeDelivery(encodeDelivery(row, 0).toString().split('data: ')[1] ?? '');
    expect(sent).toEqual(stored);
  }
}

describe('the relay stream hub: every stream gets its own bytes, each delivery once', () => {
  it('streams at the head, behind it, joining late and stalled each get every delivery once, in order, byte for byte', { timeout: 60_000 }, async () => {
    const before = await store(300);
    // Deleted in the middle (as retention or a manual delete would): streams behind meet a gap.
    const deleted = new Set([...before.slice(100, 120), 200]);
    expect(t.store.retention.remove([...deleted])).toBe(deleted.size);
    const { hub, open } = await hubOnServer();
    const atHead = await Promise.all(Array.from({ length: 20 }, () => open()));
    const fromStart = await Promise.all([open(0), open(0), open(0)]);
    const fromMiddle = await Promise.all([open(150), open(150)]);
    // One that stops reading: its socket fills, and it must still get everything once it reads again.
    const stalled = await open();
    stalled.pause();

    let late: RawStream[] = [];
    for (let burst = 0; burst < 12; burst++) {
      await commit(hub, 40, burst % 3 === 0 ? 40_000 : 2_000);
      if (burst === 5) late = await Promise.all([open(), open(), open(Number(before.at(-1)) + 10)]);
    }
    const last = t.store.relayStream.head();
    expect(last).toBe(300 + 12 * 40);
    stalled.resume();
    const everyone = [...atHead, ...fromStart, ...fromMiddle, stalled, ...late];
    await expect.poll(() => everyone.every((stream) => stream.events.at(-1)?.id === String(last)), { timeout: 30_000 }).toBe(true);

    for (const stream of [...atHead, stalled]) expectExactly(stream, 300, last, deleted);
    for (const stream of fromStart) expectExactly(stream, 0, last, deleted);
    for (const stream of fromMiddle) expectExactly(stream, 150, last, deleted);
    // Opened after six bursts: from the head then on.
    expectExactly(late[0] as RawStream, 300 + 6 * 40, last, deleted);
    expectExactly(late[1] as RawStream, 300 + 6 * 40, last, deleted);
    expectExactly(late[2] as RawStream, 310, last, deleted);
    // Streams that started at the same place got the very same bytes, however their writes were cut.
    const first = atHead[0]?.afterHello() ?? Buffer.alloc(0);
    for (const stream of [...atHead.slice(1), stalled]) expect(stream.afterHello().equals(first)).toBe(true);
  });

  it('a stream whose cursor is the same as another\'s, but which is still catching up, gets what follows its own cursor', { timeout: 30_000 }, async () => {
    await store(1_000, 100);
    const { hub, open } = await hubOnServer();
    // 1,000 behind: more than one turn (128 events), so their turns and the rounds' interleave.
    const behind = await Promise.all(Array.from({ length: 6 }, () => open(0)));
    const head = await Promise.all(Array.from({ length: 6 }, () => open()));
    for (let burst = 0; burst < 20; burst++) await commit(hub, 25, 100);
    const last = t.store.relayStream.head();
    await expect.poll(() => [...behind, ...head].every((stream) => stream.events.at(-1)?.id === String(last)), { timeout: 20_000 }).toBe(true);
    for (const stream of behind) expectExactly(stream, 0, last, new Set());
    for (const stream of head) expectExactly(stream, 1_000, last, new Set());
  });
  it('streams at the head ask the database for no id and no row: each round reads what was committed once', { timeout: 30_000 }, async () => {
    await store(10);
    // The real repository, its reads counted.
    const real = t.store.relayStream;
    const reads = { byId: 0, rounds: 0, rows: 0 };
    const counted: RelayStreamRepository = {
      head: () => real.head(),
      oldest: () => real.oldest(),
      nextId: (id) => (reads.byId++, real.nextId(id)),
      row: (id) => (reads.byId++, real.row(id)),
      *rowsAfter(id, limit) {
        reads.rounds++;
        for (const row of real.rowsAfter(id, limit)) yield (reads.rows++, row);
      },
    };
    const { hub, open } = await hubOnServer(counted);
    const streams = await Promise.all(Array.from({ length: 50 }, () => open()));
    for (let burst = 0; burst < 10; burst++) await commit(hub, 30);
    const last = t.store.relayStream.head();
    await expect.poll(() => streams.every((stream) => stream.events.at(-1)?.id === String(last)), { timeout: 20_000 }).toBe(true);
    for (const stream of streams) expectExactly(stream, 10, last, new Set());
    expect(reads.byId).toBe(0);
    // Each delivery read once, whatever the number of streams; a round for each burst at most.
    expect(reads.rows).toBe(300);
    expect(reads.rounds).toBeLessThanOrEqual(10);
  });

  it('a burst larger than the cache, and a body too large for it, still reach every stream once', { timeout: 60_000 }, async () => {
    const { hub, open } = await hubOnServer();
    const streams = await Promise.all(Array.from({ length: 4 }, () => open()));
    // 12 × 2 MiB: 32 MiB as events, twice the cache; then one of 5 MiB, over what it keeps.
    await commit(hub, 12, 2 * 1024 * 1024);
    await commit(hub, 1, 5 * 1024 * 1024);
    await commit(hub, 5, 1_000);
    await expect.poll(() => streams.every((stream) => stream.events.at(-1)?.id === '18'), { timeout: 40_000 }).toBe(true);
    for (const stream of streams) expectExactly(stream, 0, 18, new Set());
  });

  it('tells a stream whose every following delivery was deleted where it goes on, then streams what comes', { timeout: 30_000 }, async () => {
    await store(10);
    expect(t.store.retention.remove([6, 7, 8, 9, 10])).toBe(5);
    const { hub, open } = await hubOnServer();
    const [first, second] = await Promise.all([open(5), open(5)]);
    await commit(hub, 3);
    await expect.poll(() => [first, second].every((stream) => stream?.events.at(-1)?.id === '13'), { timeout: 20_000 }).toBe(true);
    for (const stream of [first, second]) expectExactly(stream as RawStream, 5, 13, new Set([6, 7, 8, 9, 10]));
  });
  it('a place with nothing to send in one round is asked again in the next', { timeout: 30_000 }, async () => {
    const { hub, open } = await hubOnServer();
    const atHead = await open();
    // Stored, not yet told to the hub; a stream resuming after it has nothing to send in its round.
    const stored = await t.store.writeDelivery(newDelivery({ eventId: 'evt_quiet_1' }));
    const resumed = await open(stored.id);
    hub.committed(stored.id);
    await expect.poll(() => atHead.events.at(-1)?.id, { timeout: 10_000 }).toBe('1');
    // The next one reaches both: the first now stands where the second did.
    await commit(hub, 1);
    await expect.poll(() => [atHead, resumed].map((stream) => stream.events.at(-1)?.id), { timeout: 10_000 }).toEqual(['2', '2']);
    expectExactly(atHead, 0, 2, new Set());
    expectExactly(resumed, 1, 2, new Set());
  });
});
