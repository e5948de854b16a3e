// The receiver's limits on connections, locks, lost answers and header bytes.
import { spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { sign } from '../../src/main/profile/signature';
import { CAPTURES } from '../helpers/capture-targets';
import { post, rawExchange, statusOf } from '../helpers/http';
import { children, envelopeOfSize, handlerRan, SECRET, signedPost, sockets, starterOf, statusOrError, useLimitsScope } from './receiver-limits/harness';

useLimitsScope();

// The relay's receiver is internet-facing by design: every promise here holds for it too.
describe.each(CAPTURES)('%s', (_name, startCapture) => {
  const start = starterOf(startCapture);

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
