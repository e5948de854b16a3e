// Forwarding captured deliveries to the developer's app: not mirrored (byte-exact, hop-by-hop
// headers recomputed, no loop to the receiver itself) and mirrored (the app's answer given back).
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { ForwardingSettings } from '../../src/shared/outgoing';
import { freePort, type TestApp } from '../helpers/app-server';
import type { RunningInspector } from '../helpers/inspector';
import { startSpecHandler } from '../helpers/spec-handler';
import { testScope } from '../helpers/test-scope';
import { collectAttempts, deliver, eventBody, hmac, idOf, SECRET } from './outgoing/events';

const scope = testScope();
const { inspector, app } = scope;

async function specApp(): Promise<TestApp> {
  const started = await startSpecHandler(SECRET);
  scope.defer(() => started.close());
  return started;
}

/** Posts a delivery with hop-by-hop headers and a chunked body, as a proxy in front might. */
function deliverChunked(url: string, body: Buffer): Promise<number> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request(url, {
      method: 'POST',
      agent: false,
      headers: [
        'Host', target.host,
        'Content-Type', 'application/json',
        'X-ReviewSense-Signature', hmac(SECRET, body),
        'User-Agent', 'ReviewSense-Webhooks/1.0',
        'Connection', 'keep-alive, X-Hop',
        'Keep-Alive', 'timeout=5',
        'X-Hop', 'for this connection only',
        'Transfer-Encoding', 'chunked',
        'X-Trace', 'trace-7',
      ],
    }, (response) => {
      response.resume();
      response.on('end', () => {
        outgoing.destroy();
        resolve(response.statusCode ?? 0);
      });
    });
    outgoing.on('error', reject);
    outgoing.write(body.subarray(0, 10));
    outgoing.end(body.subarray(10));
  });
}

describe('forwarding (not mirrored)', () => {
  it('forwards every captured delivery byte-exact with its original headers and signature; hop-by-hop recomputed', async () => {
    // The app verifies with the spec's own code: it answers 200 only to an untouched signature over untouched bytes.
    const target = await specApp();
    const forwarding: ForwardingSettings = { enabled: true, target: target.url('/webhooks'), mirror: false };
    const running = await inspector({ forwarding });
    const bodies = ['evt_fwd_1', 'evt_fwd_2', 'evt_fwd_3'].map((id) => eventBody(id));
    for (const body of bodies) expect(await deliverChunked(running.url, body)).toBe(200);

    await expect.poll(() => target.received.length).toBe(3);
    for (const body of bodies) {
      const received = target.received.find((entry) => entry.body.equals(body));
      expect(received).toBeDefined();
      expect(received?.url).toBe('/webhooks');
      expect(received?.headers).toEqual([
        ['Host', `127.0.0.1:${target.port}`],
        ['Content-Type', 'application/json'],
        ['X-ReviewSense-Signature', hmac(SECRET, body)],
        ['User-Agent', 'ReviewSense-Webhooks/1.0'],
        ['X-Trace', 'trace-7'],
        ['Content-Length', String(body.length)],
        ['Connection', 'close'],
      ]);
    }
    // Each delivery has its forward attempt, judged delivered (the app verified and answered 200).
    await expect.poll(() => running.inspector.listDeliveries().map((delivery) => delivery.lastAttempt)).toEqual(
      Array.from({ length: 3 }, () => ({ kind: 'forward', status: 200, delivered: true, queued: false, ok: true })),
    );
    const [newest] = running.inspector.listDeliveries();
    expect(running.inspector.getDelivery(newest?.id ?? 0)?.attempts).toMatchObject([{ kind: 'forward', deliveryId: newest?.id, target: target.url('/webhooks'), status: 200 }]);
    expect(running.inspector.getForwarding()).toMatchObject({ ...forwarding, queue: { count: 0 } });
  });

  it.each([
    ['its own address', (running: RunningInspector) => running.url, (running: RunningInspector) => `http://127.0.0.1:${running.port}`],
    ['its own port by name', (running: RunningInspector) => `http://localhost:${running.port}/hooks/reviewsense`, (running: RunningInspector) => `http://localhost:${running.port}`],
  ])('refuses a forward to the receiver itself (%s): no loop; the queue pauses with why and keeps the delivery', async (_name, targetOf, originOf) => {
    const running = await inspector();
    const pushed = collectAttempts(running);
    running.inspector.setForwarding({ enabled: true, target: targetOf(running), mirror: false });
    expect((await deliver(running.url, eventBody('evt_loop'))).status).toBe(200);

    const why = `${originOf(running)} is Hooklens' own receiver (a forward there would loop); send to your app's port instead.`;
    await expect.poll(() => running.inspector.getForwarding().paused).toBe(why);
    // Not an answer of the app's: nothing recorded as an attempt, and the delivery still waits.
    expect(pushed).toEqual([]);
    expect(running.inspector.listDeliveries()).toHaveLength(1);
    expect(running.inspector.getForwarding().queue).toMatchObject({ count: 1, nextTryAt: null });
    expect(running.inspector.listDeliveries()[0]).toMatchObject({ forwardQueued: true, lastAttempt: null });

    // Pointed at the app, the queue goes on and sends what waited.
    const target = await app();
    running.inspector.setForwarding({ enabled: true, target: target.url('/webhooks'), mirror: false });
    await expect.poll(() => target.received.map(idOf)).toEqual(['evt_loop']);
    await expect.poll(() => running.inspector.getForwarding()).toMatchObject({ paused: null, queue: { count: 0 } });
  });
});

describe('forwarding, mirrored', () => {
  it("answers ReviewSense with the app's status, headers and body, and records that status", async () => {
    const target = await app((_request, response) => response.writeHead(418, { 'content-type': 'text/plain', 'x-app': 'teapot' }).end('short and stout'));
    const running = await inspector({ forwarding: { enabled: true, target: target.url('/webhooks'), mirror: true } });
    const body = eventBody('evt_mirror');
    const answer = await deliver(running.url, body);

    expect(answer.status).toBe(418);
    expect(answer.body).toBe('short and stout');
    expect(answer.headers['x-app']).toBe('teapot');
    expect(answer.headers['content-type']).toBe('text/plain');
    expect(target.received).toHaveLength(1);
    expect(target.received[0]?.body.equals(body)).toBe(true);

    await expect.poll(() => running.inspector.listDeliveries()[0]?.responseStatus).toBe(418);
    const [delivery] = running.inspector.listDeliveries();
    expect(delivery?.lastAttempt).toEqual({ kind: 'forward', status: 418, delivered: false, queued: false, ok: false });
    expect(running.inspector.getDelivery(delivery?.id ?? 0)?.attempts[0]?.verdict).toBe('would fail (answered 418): retry #1 in 5 minutes');
  });

  it("gives ReviewSense every value of a header the app repeats", async () => {
    const target = await app((_request, response) => {
      response.setHeader('link', ['</a>; rel="a"', '</b>; rel="b"']);
      response.setHeader('set-cookie', ['a=1', 'b=2']);
      response.writeHead(200).end('ok');
    });
    const running = await inspector({ forwarding: { enabled: true, target: target.url('/webhooks'), mirror: true } });
    const answer = await deliver(running.url, eventBody('evt_mirror_headers'));
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']).toEqual(['a=1', 'b=2']);
    // Node joins repeated Link lines with ", " when reading them.
    expect(answer.headers.link).toBe('</a>; rel="a", </b>; rel="b"');
  });

  it('answers 502 when the app is down, and still stores the delivery', async () => {
    const port = await freePort();
    const running = await inspector({ forwarding: { enabled: true, target: `http://127.0.0.1:${port}/webhooks`, mirror: true } });
    const body = eventBody('evt_mirror_down');
    const answer = await deliver(running.url, body);

    expect(answer.status).toBe(502);
    expect(JSON.parse(answer.body)).toEqual({
      error: 'bad_gateway',
      message: `Hooklens stored this delivery but could not forward it to your app: Connection refused: nothing is listening on 127.0.0.1 port ${port}. Is your app running?`,
    });
    const [delivery] = running.inspector.listDeliveries();
    expect(delivery).toMatchObject({ eventId: 'evt_mirror_down', signatureStatus: 'valid' });
    expect(Buffer.from(running.inspector.getDelivery(delivery?.id ?? 0)?.delivery.bodyBase64 ?? '', 'base64').equals(body)).toBe(true);
    await expect.poll(() => running.inspector.listDeliveries()[0]?.responseStatus).toBe(502);
    // Mirror mode answers now or never: nothing waits in the queue.
    expect(running.inspector.getForwarding().queue.count).toBe(0);
  });
});
