import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeDelivery, decodeGap, decodeHello, encodeDelivery } from '../../src/main/relay/protocol';
import { createSseParser, type SseEvent } from '../../src/main/relay/sse-parser';
import { createStreamHub, type StreamHub } from '../../src/main/relay/stream-hub';
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
async function hubOnServer(): Promise<{ hub: StreamHub; open: (after?: number) => Promise<RawStream> }> {
  const hub = createStreamHub({ source: t.store.relayStream, relayId: () => 'relay_test', heartbeatMs: 60_000, stallMs: 60_000, clock: Date.now, onChange: () => undefined });
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

/** Commits `count` deliveries at once (the writer groups them), telling the hub of each as the receiver does. */
async function commit(hub: StreamHub, count: number, bodyBytes = 2_000): Promise<number[]> {
  const writes = Array.from({ length: count }, (_, i) => {
    const filler = String.fromCharCode(97 + (i % 26)).repeat(bodyBytes);
    const body = Buffer.from(`{"id":"evt_${Math.random().toString(36).slice(2)}","type":"webhook.test","data":{"filler":"${filler}"}}`);
    return t.store.writeDelivery(newDelivery({ body, bodySize: body.length, rawHeaders: [['X-Odd', '\u00e9']] }));
  });
  const ids = (await Promise.all(writes)).map((stored) => stored.id);
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
    const before = await commit(createStreamHub({ source: t.store.relayStream, relayId: () => 'r', heartbeatMs: 1, stallMs: 1, clock: Date.now, onChange: () => undefined }), 300);
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
    const lateAfter = decodeHello(late[0]?.hello()?.data ?? '').after;
    expect(lateAfter).toBeGreaterThan(300);
    expectExactly(late[0] as RawStream, lateAfter, last, deleted);
    expectExactly(late[1] as RawStream, decodeHello(late[1]?.hello()?.data ?? '').after, last, deleted);
    expectExactly(late[2] as RawStream, 310, last, deleted);
    // Streams that started at the same place got the very same bytes, however their writes were cut.
    const first = atHead[0]?.afterHello() ?? Buffer.alloc(0);
    for (const stream of [...atHead.slice(1), stalled]) expect(stream.afterHello().equals(first)).toBe(true);
  });

  it('a stream whose cursor is the same as another\'s, but which is still catching up, gets what follows its own cursor', { timeout: 30_000 }, async () => {
    await commit(createStreamHub({ source: t.store.relayStream, relayId: () => 'r', heartbeatMs: 1, stallMs: 1, clock: Date.now, onChange: () => undefined }), 1_000, 100);
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
});
