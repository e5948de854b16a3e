import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../src/main/profile/samples';
import { sign } from '../../src/main/profile/signature';
import { post, rawExchange, statusOf, type HttpResult } from '../helpers/http';
import { CAPTURES, type RunningCapture } from '../helpers/capture-targets';

const SECRET = 'whsec_test_current';
const KiB = 1024;
const MiB = 1024 * KiB;

let running: RunningCapture | undefined;
/** Sockets a test opened by hand; destroyed before the Inspector stops. */
const sockets: Socket[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
const cleanups: (() => void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) cleanup();
  for (const socket of sockets.splice(0)) socket.destroy();
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    }
  }
  await running?.stop();
  running = undefined;
});


/** A webhook.test event of exactly `size` bytes: its message padded. */
function envelopeOfSize(size: number, id: string): Buffer {
  const event = sampleEvent('webhook.test', { id, now: Date.UTC(2026, 3, 24, 14, 30), data: { message: '' } });
  const padding = size - Buffer.byteLength(JSON.stringify(event));
  return Buffer.from(JSON.stringify({ ...event, data: { ...event.data, message: 'x'.repeat(padding) } }));
}

function signedPost(url: string, body: Buffer): Promise<HttpResult> {
  return post(url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, body) });
}

/** The head of an upload to the capture path that declares `declared` body bytes. */
function stalledHeaders(declared: number): string {
  return `POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\n\r\n`;
}

interface Stalled {
  socket: Socket;
  received: () => number;
  closed: () => boolean;
}

/** A connection that sends its headers and part of its body, then sends nothing more. */
function stalledUpload(port: number, declared: number, partial: Buffer): Promise<Stalled> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let received = 0;
    let closed = false;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.on('close', () => (closed = true));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    socket.on('connect', () => {
      socket.write(stalledHeaders(declared));
      socket.write(partial, () => resolve({ socket, received: () => received, closed: () => closed }));
    });
  });
}

/**
 * Counts requests whose headers the receiver has parsed (Node's own diagnostics channel, published
 * just before the request is handed to the receiver, whose onRequest hooks run in the same turn).
 */
function requestsStarted(): { count: () => number } {
  let count = 0;
  const listener = (message: unknown) => {
    const { request } = message as { request: IncomingMessage };
    if (request.url?.startsWith('/hooks/reviewsense')) count++;
  };
  subscribe('http.server.request.start', listener);
  cleanups.push(() => unsubscribe('http.server.request.start', listener));
  return { count: () => count };
}

/** Resolves when the receiver's handler has run for a request of this method (Fastify's tracing channel). */
function handlerRan(method: string): Promise<void> {
  return new Promise((resolve) => {
    const name = 'tracing:fastify.request.handler:end';
    const listener = (message: unknown) => {
      const { request } = message as { request: { method: string } };
      if (request.method !== method) return;
      unsubscribe(name, listener);
      resolve();
    };
    subscribe(name, listener);
    cleanups.push(() => unsubscribe(name, listener));
  });
}

/** A request that settles to its status, or to the error code when the connection was cut. */
async function statusOrError(request: Promise<HttpResult>): Promise<number | string> {
  try {
    return (await request).status;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? 'error';
  }
}

// The relay's receiver is internet-facing by design: every promise here holds for it too.
describe.each(CAPTURES)('%s', (_name, startCapture) => {
  async function start(config: Parameters<typeof startCapture>[0] = {}) {
    running = await startCapture(config);
    return running;
  }

  describe('receiver: bodies in flight', () => {
    it('answers 503 with Retry-After at once when stalled uploads hold the budget, and frees it when they go', async () => {
      const r = await start({
        receiver: { bodyLimit: 512 * KiB, inFlightBudget: 1 * MiB },
        // Far beyond this test: the stalled uploads must still be waiting when the third is refused.
        timeouts: { requestMs: 60_000, headersMs: 30_000 },
      });
      const started = requestsStarted();
      const stalled = [await stalledUpload(r.port, 500_000, Buffer.alloc(100_000, 0x78)), await stalledUpload(r.port, 500_000, Buffer.alloc(100_000, 0x78))];
      await expect.poll(started.count).toBe(2);

      // Headers only: nothing unread is left behind when the server closes the connection.
      const third = await rawExchange(r.port, [stalledHeaders(500_000)], 10_000);
      expect(statusOf(third.response)).toBe(503);
      expect(third.response).toMatch(/\r\nretry-after: 5\r\n/i);
      expect(third.closed).toBe(true);
      // The stalled uploads still hold their slots: not answered, not closed.
      expect(stalled.map((upload) => [upload.received(), upload.closed()])).toEqual([
        [0, false],
        [0, false],
      ]);

      // A small delivery fits in what is left.
      const small = envelopeOfSize(300, 'evt_small');
      expect((await signedPost(r.url, small)).status).toBe(200);

      // A chunked body is counted as it arrives: 96 KiB does not fit in the ~47 KiB left.
      const chunk = 'y'.repeat(16 * KiB);
      const chunked = (data: string) => `${data.length.toString(16)}\r\n${data}\r\n`;
      const grown = await rawExchange(
        r.port,
        ['POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', ...Array.from({ length: 6 }, () => chunked(chunk)), '0\r\n\r\n'],
        10_000,
      );
      expect(statusOf(grown.response)).toBe(503);
      expect(grown.response).toMatch(/\r\nretry-after: 5\r\n/i);

      for (const upload of stalled) upload.socket.destroy();
      // The server learns of the closed sockets shortly after; until then a full body is refused.
      const full = envelopeOfSize(500_000, 'evt_full');
      await expect.poll(() => statusOrError(signedPost(r.url, full)), { timeout: 10_000, interval: 50 }).toBe(200);

      expect(r.deliveries().map((delivery) => [delivery.eventId, delivery.responseStatus, delivery.bodySize])).toEqual([
        ['evt_full', 200, 500_000],
        ['evt_small', 200, 300],
      ]);
    });

    it('answers 413 and records it when a declared body is far over the limit, never a "try again"', async () => {
      running = await start();
      const declared = 100 * MiB;
      const { response } = await rawExchange(running.port, [`POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nContent-Length: ${declared}\r\n\r\n`], 10_000);
      expect(statusOf(response)).toBe(413);
      expect(running.deliveries()[0]).toMatchObject({ responseStatus: 413, bodySize: declared });
    });

    it('keeps memory bounded while many uploads stall at the default limits', { timeout: 40_000 }, async () => {
      const r = await start({ timeouts: { requestMs: 60_000, headersMs: 30_000 } });
      const declared = 5 * MiB - 1;
      const sent = Buffer.alloc(4 * MiB, 0x78);
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      /** The resident size now, kept in `peak` if it is the highest seen. */
      const sample = () => {
        const rss = process.memoryUsage().rss;
        peak = Math.max(peak, rss);
        return rss;
      };

      const unexpected: string[] = [];
      const uploads = Array.from({ length: 80 }, () => {
        const socket = connect(r.port, '127.0.0.1');
        sockets.push(socket);
        // Settled once its 4 MiB were handed over, or its connection was refused and closed.
        return new Promise<'written' | 'closed'>((resolve) => {
          socket.on('error', (error: NodeJS.ErrnoException) => {
            // The ones answered 503 are closed while still sending.
            if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') unexpected.push(error.code ?? error.message);
          });
          socket.on('close', () => resolve('closed'));
          socket.on('connect', () => {
            socket.write(stalledHeaders(declared));
            socket.write(sent, (error) => {
              sample();
              if (!error) resolve('written');
            });
          });
        });
      });
      const outcomes = await Promise.all(uploads);
      // Some uploads are accepted and stall; the others are refused at once.
      expect(unexpected).toEqual([]);
      expect(outcomes).toContain('written');

      // Whatever the server is still to read of what was handed over, it reads within a few turns:
      // sample until the resident size stops growing (bounded).
      let previous = sample();
      let steady = 0;
      for (let i = 0; i < 50 && steady < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        const now = sample();
        steady = Math.abs(now - previous) < 2 * MiB ? steady + 1 : 0;
        previous = now;
      }
      // 80 × 4 MiB held in memory would be 320 MiB; the default 64 MiB budget keeps far below.
      expect((peak - baseline) / MiB).toBeLessThan(200);
      // Because the ones beyond the budget were refused and closed.
      expect(outcomes).toContain('closed');

      for (const socket of sockets.splice(0)) socket.destroy();
      expect((await signedPost(r.url, envelopeOfSize(400, 'evt_after_stall'))).status).toBe(200);
    });
  });

  describe('receiver: connection cap', () => {
    /** `count` connections that connect and then send nothing. */
    async function idleConnections(port: number, count: number, options: { allowHalfOpen?: boolean } = {}): Promise<Socket[]> {
      return Promise.all(
        Array.from({ length: count }, () => {
          const socket = connect({ port, host: '127.0.0.1', ...options });
          sockets.push(socket);
          socket.on('error', () => undefined);
          return new Promise<Socket>((resolve) => socket.once('connect', () => resolve(socket)));
        }),
      );
    }

    it('answers a delivery past maxConnections 503 with Retry-After, so ReviewSense retries, and takes deliveries again once connections close', async () => {
      const r = await start({ receiver: { maxConnections: 5 } });
      const idle = await idleConnections(r.port, 5);

      const refused = await signedPost(r.url, envelopeOfSize(300, 'evt_sixth'));
      expect(refused).toMatchObject({ status: 503, headers: { 'retry-after': '5', connection: 'close' } });
      expect(JSON.parse(refused.body)).toEqual({ error: 'busy', message: 'Hooklens has too many connections open to take another; try again shortly.' });
      expect(idle.every((socket) => !socket.destroyed)).toBe(true);

      for (const socket of idle) socket.destroy();
      // The server counts a connection as gone once it has seen it close; until then it answers 503.
      await expect.poll(() => statusOrError(signedPost(r.url, envelopeOfSize(300, 'evt_after_cap'))), { timeout: 10_000, interval: 50 }).toBe(200);
      expect(r.deliveries().map((delivery) => delivery.eventId)).toEqual(['evt_after_cap']);
    });

    it('answers past the cap without reading the request, and closes at once what comes past as many unread refusals again', async () => {
      const r = await start({ receiver: { maxConnections: 2 } });
      await idleConnections(r.port, 2);

      // Not a request at all: it is not parsed, so it gets the same 503 and nothing more.
      const garbage = await rawExchange(r.port, ['not http\r\n\r\n'], 10_000);
      expect(garbage.closed).toBe(true);
      expect(statusOf(garbage.response)).toBe(503);
      expect(garbage.response).toMatch(/\r\nRetry-After: 5\r\n/);

      // Two refused connections whose senders never read nor close (each lingers up to 2 s) …
      const lingering = await idleConnections(r.port, 2, { allowHalfOpen: true });
      for (const socket of lingering) socket.write('POST /hooks/reviewsense HTTP/1.1\r\n');
      // … and a flood beyond them is dropped unanswered: refusals never hold more than the cap again.
      const flood = await rawExchange(r.port, ['POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n'], 10_000);
      expect(flood).toMatchObject({ closed: true, response: '' });
    });
  });

  describe('receiver: another process holds the write lock', () => {
    it('keeps answering other requests and reads while a delivery waits, answers it 503, and stores again once the lock is released', async () => {
      const r = await start();
      const script = `
        const Database = require(process.env.SQLITE_MODULE);
        const db = new Database(process.env.DB_FILE);
        db.exec('BEGIN IMMEDIATE');
        process.stdout.write('locked\\n');
        process.stdin.once('data', () => {
          db.exec('COMMIT');
          db.close();
          process.stdout.write('released\\n');
          process.exit(0);
        });
      `;
      const child = spawn(process.execPath, ['-e', script], {
        env: { ...process.env, SQLITE_MODULE: require.resolve('better-sqlite3'), DB_FILE: join(r.dataDir, 'hooklens.db') },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      children.push(child);
      let childStderr = '';
      child.stderr.on('data', (chunk: Buffer) => (childStderr += chunk.toString()));
      const childLines: string[] = [];
      createInterface({ input: child.stdout }).on('line', (line) => childLines.push(line));
      await expect.poll(() => childLines.concat(child.exitCode !== null ? [`exited: ${childStderr}`] : []), { timeout: 10_000 }).toEqual(['locked']);

      const order: string[] = [];
      const body = envelopeOfSize(300, 'evt_locked');
      const handled = handlerRan('POST');
      const pending = signedPost(r.url, body).then((response) => (order.push('POST'), response));
      // Once the delivery is queued for its commit, ask for something that needs no write.
      await handled;
      const notFound = await post(`http://127.0.0.1:${r.port}/elsewhere`, '', {}, 'GET');
      order.push('GET');
      expect(notFound.status).toBe(404);
      const listed = r.deliveries();
      expect(listed).toEqual([]);
      // Both answered while the delivery still waits for the lock.
      expect(order).toEqual(['GET']);

      const refused = await pending;
      expect(order).toEqual(['GET', 'POST']);
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');

      child.stdin.write('go\n');
      await expect.poll(() => childLines, { timeout: 10_000 }).toEqual(['locked', 'released']);
      const accepted = await signedPost(r.url, body);
      expect(accepted.status).toBe(200);
      expect(r.deliveries().map((delivery) => [delivery.eventId, delivery.responseStatus])).toEqual([['evt_locked', 200]]);
    });
  });

  describe('receiver: answers that never reach the client', () => {
    it('records answerLost for a delivery whose connection is closed by a malformed request pipelined after it', async () => {
      const r = await start();
      const body = envelopeOfSize(300, 'evt_pipelined');
      const request = Buffer.concat([
        Buffer.from(
          `POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nX-ReviewSense-Signature: ${sign(SECRET, body)}\r\nContent-Length: ${body.length}\r\n\r\n`,
        ),
        body,
        Buffer.from('\u0000GARBAGE\r\n\r\n'),
      ]);
      const exchange = await rawExchange(r.port, [request], 10_000);
      expect(exchange.closed).toBe(true);
      expect(statusOf(exchange.response)).toBe(400);
      expect(exchange.response).not.toMatch(/HTTP\/1\.1 200/);

      // The delivery was committed after its connection was gone; the note follows the commit.
      await expect
        .poll(() => r.deliveries().find((delivery) => delivery.eventId === 'evt_pipelined')?.answerLost, { timeout: 10_000 })
        .toMatch(/connection closed before this answer was sent/);
      const [lost] = r.deliveries();
      expect(lost).toMatchObject({ eventId: 'evt_pipelined', signatureStatus: 'valid', responseStatus: 200 });
      expect(r.detail(lost?.id ?? 0)?.answerLost).toMatch(/client never got it/);

      const normal = envelopeOfSize(300, 'evt_normal');
      expect((await signedPost(r.url, normal)).status).toBe(200);
      const answered = r.deliveries().find((delivery) => delivery.eventId === 'evt_normal');
      expect(answered?.answerLost).toBeNull();
      expect(r.detail(answered?.id ?? 0)?.answerLost).toBeNull();
    });
  });

  describe('receiver: header and method bytes', () => {
    it('stores a UTF-8 header value as its text, and any other bytes one character per byte', async () => {
      const r = await start();
      const body = envelopeOfSize(300, 'evt_header_bytes');
      const raw = Buffer.from([0x68, 0xe9, 0x6c, 0x6c, 0x6f]); // "h", a lone 0xE9, "llo": not UTF-8
      const exchange = await rawExchange(
        r.port,
        [
          Buffer.concat([
            Buffer.from('POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Name: '),
            Buffer.from('héllo', 'utf8'),
            Buffer.from('\r\nX-Raw: '),
            raw,
            Buffer.from(`\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`),
            body,
          ]),
        ],
        10_000,
      );
      expect(statusOf(exchange.response)).toBe(200);
      const [stored] = r.deliveries();
      const headers = r.detail(stored?.id ?? 0)?.headers ?? [];
      expect(headers).toContainEqual(['X-Name', 'héllo']);
      const rawValue = headers.find(([name]) => name === 'X-Raw')?.[1];
      expect(rawValue).toBe('h\u00e9llo');
      expect(Buffer.from(rawValue ?? '', 'latin1').equals(raw)).toBe(true);
    });

    it('stores the body of a HEAD request byte-exact', async () => {
      const r = await start();
      const body = envelopeOfSize(500, 'evt_head');
      const exchange = await rawExchange(
        r.port,
        [
          `HEAD /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nX-ReviewSense-Signature: ${sign(SECRET, body)}\r\nContent-Length: ${body.length}\r\n\r\n`,
          body,
        ],
        10_000,
      );
      expect(statusOf(exchange.response)).toBe(200);
      const [stored] = r.deliveries();
      expect(stored).toMatchObject({ method: 'HEAD', eventId: 'evt_head', bodySize: body.length, signatureStatus: 'valid' });
      expect(r.detail(stored?.id ?? 0)?.body?.equals(body)).toBe(true);
    });
  });
});
