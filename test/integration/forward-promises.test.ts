import { createHmac } from 'node:crypto';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Inspector } from '../../src/main/inspector/inspector';
import { sampleEvent } from '../../src/main/profile/samples';
import { MIGRATIONS } from '../../src/main/store/migrations';
import type { DeliverySummary } from '../../src/shared/delivery';
import type { ForwardingStatus } from '../../src/shared/outgoing';
import { freePort, type ReceivedRequest } from '../helpers/app-server';
import { runCli, runCliToEnd } from '../helpers/cli';
import { post } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';
import { testScope } from '../helpers/test-scope';

const SECRET = 'whsec_test_current';
const hmac = (bytes: Buffer): string => createHmac('sha256', SECRET).update(bytes).digest('hex');
/** A header value as bytes on the wire: Node's client writes a string one byte per character. */
const wire = (bytes: Buffer): string => bytes.toString('latin1');
const EURO = Buffer.from('€', 'utf8');
const CAFE_UTF8 = Buffer.from('café', 'utf8');
const CAFE_LATIN1 = Buffer.from('caf\xe9', 'latin1');

const scope = testScope();
const { inspector, app } = scope;

function eventBody(id: string): Buffer {
  return Buffer.from(`${JSON.stringify(sampleEvent('review.analysed', { id }), null, 2)}\n`);
}

function deliver(url: string, body: Buffer, extra: Record<string, string> = {}) {
  return post(url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': hmac(body), ...extra });
}

/** The bytes of header `name` as the app received them. */
function headerBytes(received: ReceivedRequest | undefined, name: string): Buffer | undefined {
  const value = received?.headers.find(([key]) => key.toLowerCase() === name)?.[1];
  return value === undefined ? undefined : Buffer.from(value, 'latin1');
}

const idOf = (received: ReceivedRequest): string => (JSON.parse(received.body.toString()) as { id: string }).id;
const forwarding = (target: string, mirror = false) => ({ forwarding: { enabled: true, target, mirror } });

describe('header bytes, exact from the socket to every resend', () => {
  it('forwards a UTF-8 value above U+00FF (€) byte-exact, and the deliveries behind it follow', async () => {
    const target = await app();
    const running = await inspector(forwarding(target.url('/webhooks')));
    expect((await deliver(running.url, eventBody('evt_euro'), { 'x-note': wire(EURO) })).status).toBe(200);
    expect((await deliver(running.url, eventBody('evt_after'))).status).toBe(200);

    await expect.poll(() => target.received.map(idOf)).toEqual(['evt_euro', 'evt_after']);
    expect(headerBytes(target.received[0], 'x-note')).toEqual(EURO);
    const [, first] = running.inspector.listDeliveries();
    const stored = running.inspector.getDelivery(first?.id ?? 0)?.delivery;
    // Shown as text, kept as bytes.
    expect(stored?.headers).toContainEqual(['x-note', '€']);
    expect(stored?.rawHeaders).toContainEqual(['x-note', wire(EURO)]);
    await expect.poll(() => running.inspector.listDeliveries().map((row) => row.lastAttempt?.status)).toEqual([200, 200]);
  });

  it('forwards and replays `caf\\xc3\\xa9` and a lone latin1 byte as those bytes', async () => {
    const target = await app();
    const running = await inspector(forwarding(target.url('/webhooks')));
    expect((await deliver(running.url, eventBody('evt_cafe'), { 'x-utf8': wire(CAFE_UTF8), 'x-latin1': wire(CAFE_LATIN1) })).status).toBe(200);
    await expect.poll(() => target.received.length).toBe(1);
    const [row] = running.inspector.listDeliveries();
    await running.inspector.replayDelivery({ id: row?.id ?? 0, target: target.url('/replayed'), signature: 'keep' });

    for (const received of target.received) {
      expect(headerBytes(received, 'x-utf8')).toEqual(CAFE_UTF8);
      expect(headerBytes(received, 'x-latin1')).toEqual(CAFE_LATIN1);
    }
    expect(target.received.map((received) => received.url)).toEqual(['/webhooks', '/replayed']);
  });

  it('mirrors the app’s answer for such a delivery: no 500, the status really sent is recorded', async () => {
    const target = await app((_request, response) => response.writeHead(202, { 'x-app': wire(EURO) }).end('accepted'));
    const running = await inspector(forwarding(target.url('/webhooks'), true));
    const answer = await deliver(running.url, eventBody('evt_mirror_euro'), { 'x-note': wire(EURO) });
    expect(answer.status).toBe(202);
    expect(Buffer.from(answer.headers['x-app'] as string, 'latin1')).toEqual(EURO);
    expect(headerBytes(target.received[0], 'x-note')).toEqual(EURO);
    expect(running.inspector.listDeliveries()[0]?.responseStatus).toBe(202);
  });

  it('`hooklens replay` sends such a delivery (it threw ERR_INVALID_CHAR)', async () => {
    const dir = tempDir();
    scope.defer(() => dir.cleanup());
    const capture = new Inspector({ dataDir: dir.path, runtimeSecrets: [{ label: 'current', value: SECRET }], receiver: { port: 0 } });
    await capture.start();
    expect((await deliver(capture.receiverUrl as string, eventBody('evt_cli_euro'), { 'x-note': wire(EURO) })).status).toBe(200);
    await capture.stop();

    const target = await app();
    const run = await runCliToEnd(['replay', '1', '--to', target.url('/webhooks'), '--keep-signature', '--data-dir', dir.path, '--json']);
    expect(run.stderr).not.toMatch(/ERR_INVALID_CHAR|at .*\.js:\d+/);
    expect(run.code).toBe(0);
    expect(headerBytes(target.received[0], 'x-note')).toEqual(EURO);
  });

  it('unblocks the queue of a database from before exact bytes were kept: its text goes out as UTF-8', async () => {
    const dir = tempDir();
    scope.defer(() => dir.cleanup());
    // As schema 6 left it: a delivery whose header was stored as text above U+00FF, frozen at the head of the queue.
    const old = new Database(join(dir.path, 'hooklens.db'));
    old.pragma('journal_mode = WAL');
    for (const [version, sql] of MIGRATIONS.slice(0, 6).entries()) {
      old.exec(sql);
      old.pragma(`user_version = ${version + 1}`);
    }
    const insert = old.prepare(
      "INSERT INTO deliveries (received_at, method, path, headers, body, body_size, signature_status, response_status) VALUES (1, 'POST', '/hooks/reviewsense', ?, ?, ?, 'unchecked', 200)",
    );
    for (const [id, headers] of [
      ['evt_old_euro', [['Content-Type', 'application/json'], ['X-Note', '€']]],
      ['evt_old_next', [['Content-Type', 'application/json']]],
    ] as const) {
      const body = eventBody(id);
      const { lastInsertRowid } = insert.run(JSON.stringify(headers), body, body.length);
      old.prepare("INSERT INTO forward_queue (delivery_id, target, queued_at, tries, last_error) VALUES (?, 'http://127.0.0.1:1/', 1, 40, 'Invalid character in header content')").run(lastInsertRowid);
    }
    old.close();

    const target = await app();
    const upgraded = new Inspector({ dataDir: dir.path, receiver: { port: 0 }, ...forwarding(target.url('/webhooks')) });
    scope.defer(() => upgraded.stop());
    await upgraded.start();
    await expect.poll(() => target.received.map(idOf)).toEqual(['evt_old_euro', 'evt_old_next']);
    expect(headerBytes(target.received[0], 'x-note')).toEqual(EURO);
    await expect.poll(() => upgraded.getForwarding().queue.count).toBe(0);
  });
});

describe('the forward queue never freezes', () => {
  it('records a request that cannot be sent as a failed attempt with its reason, and moves on', async () => {
    const port = await freePort();
    const running = await inspector(forwarding(`http://127.0.0.1:${port}/webhooks`));
    for (const id of ['evt_broken', 'evt_fine']) expect((await deliver(running.url, eventBody(id))).status).toBe(200);
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(2);
    // Another process (an older or foreign tool) left a header no HTTP client may send.
    const other = new Database(join(running.dataDir, 'hooklens.db'));
    other.prepare("UPDATE deliveries SET headers = ?, raw_headers = NULL WHERE event_id = 'evt_broken'").run(JSON.stringify([['X-Bad', 'a\u0001b']]));
    other.close();

    const target = await app(undefined, port);
    running.inspector.retryForwardQueue();
    await expect.poll(() => target.received.map(idOf), { timeout: 20_000 }).toEqual(['evt_fine']);
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(0);
    const [fine, broken] = running.inspector.listDeliveries();
    expect(fine?.lastAttempt).toMatchObject({ kind: 'forward', status: 200, delivered: true });
    const attempts = running.inspector.getDelivery(broken?.id ?? 0)?.attempts ?? [];
    expect(attempts[0]).toMatchObject({
      kind: 'forward',
      status: null,
      delivered: false,
      queued: false,
      error: 'The value of header X-Bad holds the control byte 0x01, so it cannot be sent.',
      verdict: 'not sent: The value of header X-Bad holds the control byte 0x01, so it cannot be sent.',
    });
  });

  it.each([
    ['a host the outgoing rules refuse', 'http://10.255.255.1:3000/webhooks', /^10\.255\.255\.1 resolves to 10\.255\.255\.1/],
    ['a malformed target', 'http://[/webhooks', /^"http:\/\/\[\/webhooks" is not a URL/],
  ])('pauses on %s with the reason, keeps every delivery, and goes on when the target changes', async (_name, refused, why) => {
    const port = await freePort();
    const running = await inspector(forwarding(`http://127.0.0.1:${port}/webhooks`));
    const ids = ['evt_p1', 'evt_p2', 'evt_p3'];
    for (const id of ids.slice(0, 2)) expect((await deliver(running.url, eventBody(id))).status).toBe(200);
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(2);
    const attemptsBefore = running.inspector.listDeliveries().map((row) => running.inspector.getDelivery(row.id)?.attempts.length);

    running.inspector.setForwarding({ enabled: true, target: refused, mirror: false });
    expect((await deliver(running.url, eventBody(ids[2] as string))).status).toBe(200);
    await expect.poll(() => running.inspector.getForwarding().paused).toMatch(why);
    // Not answers: nothing recorded "refused", nothing removed, no timer retrying.
    expect(running.inspector.getForwarding().queue).toMatchObject({ count: 3, nextTryAt: null });
    expect(running.inspector.listDeliveries().map((row) => running.inspector.getDelivery(row.id)?.attempts.length)).toEqual([0, ...attemptsBefore]);

    const target = await app();
    running.inspector.setForwarding({ enabled: true, target: target.url('/webhooks'), mirror: false });
    await expect.poll(() => target.received.map(idOf), { timeout: 20_000 }).toEqual(ids);
    // The last row leaves the queue once its answer is back, a moment after the app saw the request.
    await expect.poll(() => running.inspector.getForwarding()).toMatchObject({ paused: null, queue: { count: 0 } });
  });

  it('tries a target changed while a forward is on its way at once, not after the old target’s back-off', async () => {
    // An app that takes the request and then drops the connection without an answer, when told.
    const held: Socket[] = [];
    const silent = createServer((socket) => socket.once('data', () => held.push(socket)));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const running = await inspector(forwarding(`http://127.0.0.1:${(silent.address() as AddressInfo).port}/webhooks`));
      expect((await deliver(running.url, eventBody('evt_h1'))).status).toBe(200);
      await expect.poll(() => held.length).toBe(1);

      const statuses: ForwardingStatus[] = [];
      running.inspector.on('forwarding', (status) => statuses.push(status));
      running.inspector.setForwarding({ enabled: true, target: 'http://10.255.255.1:3000/webhooks', mirror: false });
      held[0]?.destroy();
      await expect.poll(() => running.inspector.getForwarding().paused).toMatch(/^10\.255\.255\.1 resolves to/);
      // The old target's silence set no back-off for the new one: no status ever named a next try.
      expect(statuses.map((status) => status.queue.nextTryAt)).toEqual(statuses.map(() => null));
      expect(running.inspector.getForwarding().queue.count).toBe(1);
    } finally {
      silent.close();
    }
  });

  it('shows every queued row as queued: the one tried, and the ones waiting behind it', async () => {
    const port = await freePort();
    const running = await inspector(forwarding(`http://127.0.0.1:${port}/webhooks`));
    for (const id of ['evt_q1', 'evt_q2']) expect((await deliver(running.url, eventBody(id))).status).toBe(200);
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(2);
    await expect.poll(() => running.inspector.listDeliveries()[1]?.lastAttempt?.queued).toBe(true);

    const [second, first] = running.inspector.listDeliveries();
    expect(first).toMatchObject({ forwardQueued: true, lastAttempt: { kind: 'forward', queued: true } });
    expect(second).toMatchObject({ forwardQueued: true, lastAttempt: null });
    expect(running.inspector.getDelivery(second?.id ?? 0)?.delivery.forwardQueued).toBe(true);

    const target = await app(undefined, port);
    running.inspector.retryForwardQueue();
    await expect.poll(() => target.received.map(idOf), { timeout: 20_000 }).toEqual(['evt_q1', 'evt_q2']);
    await expect.poll(() => running.inspector.listDeliveries().map((row) => row.forwardQueued)).toEqual([false, false]);
  });
});

describe('a delivery refused as too large', () => {
  it.each([false, true])('is not forwarded (mirror: %s), and its row says so', async (mirror) => {
    const target = await app();
    const running = await inspector({ receiver: { bodyLimit: 1024 }, ...forwarding(target.url('/webhooks'), mirror) });
    const big = Buffer.alloc(4096, 'x');
    expect((await deliver(running.url, big)).status).toBe(413);
    expect((await deliver(running.url, eventBody('evt_small'))).status).toBe(200);

    await expect.poll(() => target.received.map(idOf)).toEqual(['evt_small']);
    const refused = running.inspector.listDeliveries()[1];
    expect(refused).toMatchObject({ responseStatus: 413, forwardQueued: false, lastAttempt: null, forwardNote: 'Not forwarded: the body was refused as too large (413), so there was nothing to send.' });
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(0);
  });
});

describe('mirror mode says what the sender really got', () => {
  it('pushes the delivery, then an update with the app’s status; the database has it too', async () => {
    const target = await app((_request, response) => response.writeHead(418).end('teapot'));
    const running = await inspector(forwarding(target.url('/webhooks'), true));
    const pushed: DeliverySummary[] = [];
    const updated: DeliverySummary[] = [];
    running.inspector.on('delivery', (delivery) => pushed.push(delivery));
    running.inspector.on('delivery-updated', (delivery) => updated.push(delivery));

    expect((await deliver(running.url, eventBody('evt_teapot'))).status).toBe(418);
    expect(pushed).toMatchObject([{ answerPending: true }]);
    await expect.poll(() => updated).toMatchObject([{ id: pushed[0]?.id, responseStatus: 418, answerPending: false }]);
    expect(running.inspector.listDeliveries()[0]?.responseStatus).toBe(418);
  });

  it('`serve --mirror --json` prints the status the sender got, on the line and on stderr', async () => {
    const target = await app((_request, response) => response.writeHead(418).end('teapot'));
    const dir = tempDir();
    scope.defer(() => dir.cleanup());
    const serve = runCli(['serve', '--port', '0', '--no-ui', '--json', '--data-dir', dir.path, '--forward-to', target.url('/webhooks'), '--mirror'], { HOOKLENS_SECRET: SECRET });
    scope.defer(async () => {
      serve.proc.kill('SIGTERM');
      await serve.exited;
    });
    const ready = await serve.waitFor((line) => line.event === 'ready');
    expect((await deliver(ready.receiverUrl as string, eventBody('evt_cli_teapot'))).status).toBe(418);
    const line = await serve.waitFor((each) => each.event === 'delivery');
    expect(line).toMatchObject({ eventId: 'evt_cli_teapot', status: 418 });
    expect(serve.lines.filter((each) => each.event === 'delivery')).toHaveLength(1);
    await expect.poll(() => serve.stderr()).toMatch(/evt_cli_teapot.*→ 418/);
  });
});
