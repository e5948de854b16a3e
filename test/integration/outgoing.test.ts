import { createHmac } from 'node:crypto';
import { request } from 'node:http';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Inspector, type InspectorConfig } from '../../src/main/inspector/inspector';
import { sampleEvent } from '../../src/main/profile/samples';
import type { Attempt } from '../../src/shared/attempt';
import type { ForwardingSettings } from '../../src/shared/outgoing';
import { ApiInputError } from '../../src/shared/validate';
import { freePort, startApp, valuesOf, type ReceivedRequest, type Responder, type TestApp } from '../helpers/app-server';
import { probeConnects } from '../helpers/connect-probe';
import { post } from '../helpers/http';
import { startInspector, type RunningInspector } from '../helpers/inspector';
import { startSpecHandler } from '../helpers/spec-handler';
import { tempDir } from '../helpers/temp-dir';
import { testScope } from '../helpers/test-scope';

/** The secret startInspector configures; ReviewSense "signs" the captured deliveries with it. */
const SECRET = 'whsec_test_current';
const STAGING = 'whsec_staging_other';

const hmac = (secret: string, bytes: Buffer | string): string => createHmac('sha256', secret).update(bytes).digest('hex');

const scope = testScope();
const { inspector, app } = scope;

async function specApp(): Promise<TestApp> {
  const started = await startSpecHandler(SECRET);
  scope.defer(() => started.close());
  return started;
}

/** An event as ReviewSense would send it: pretty JSON with a newline, so re-serialising would show. */
function eventBody(id: string, type: Parameters<typeof sampleEvent>[0] = 'review.analysed'): Buffer {
  return Buffer.from(`${JSON.stringify(sampleEvent(type, { id }), null, 2)}\n`);
}

/** Delivers a signed event to the receiver as ReviewSense would; resolves with the receiver's answer. */
function deliver(url: string, body: Buffer, extra: Record<string, string> = {}) {
  return post(url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': hmac(SECRET, body), ...extra });
}

function idOf(received: ReceivedRequest): string {
  return (JSON.parse(received.body.toString()) as { id: string }).id;
}

function collectAttempts(running: RunningInspector): Attempt[] {
  const attempts: Attempt[] = [];
  running.inspector.on('attempt', (attempt) => attempts.push(attempt));
  return attempts;
}

describe('sendTestEvent', () => {
  it('to its own receiver (no target): stores a valid delivery and a delivered attempt', async () => {
    const running = await inspector();
    const pushed = collectAttempts(running);
    const body = running.inspector.newTestEvent('webhook.test');
    const attempt = await running.inspector.sendTestEvent({ target: null, body, secretId: null, variant: 'valid' });

    expect(attempt).toMatchObject({ kind: 'send', deliveryId: null, target: running.url, method: 'POST', status: 200, error: null, delivered: true, queued: false, verdict: 'would count as delivered' });
    expect(Buffer.from(attempt.requestBodyBase64 ?? '', 'base64').toString()).toBe(body);
    expect(valuesOf(attempt.requestHeaders, 'x-reviewsense-signature')).toEqual([hmac(SECRET, body)]);
    expect(pushed).toEqual([attempt]);

    const [delivery] = running.inspector.listDeliveries();
    expect(delivery).toMatchObject({ eventType: 'webhook.test', eventId: (JSON.parse(body) as { id: string }).id, signatureStatus: 'valid', responseStatus: 200 });
    const stored = running.inspector.getDelivery(delivery?.id ?? 0);
    expect(Buffer.from(stored?.delivery.bodyBase64 ?? '', 'base64').toString()).toBe(body);
  });

  it('sends the broken variants as such: the receiver stores them missing and invalid', async () => {
    const running = await inspector();
    for (const variant of ['none', 'invalid', 'tampered'] as const) {
      const attempt = await running.inspector.sendTestEvent({ target: null, body: running.inspector.newTestEvent('quota.warning'), secretId: null, variant });
      // The receiver is not strict: it stores and answers 200 whatever the signature.
      expect(attempt.delivered).toBe(true);
    }
    expect(running.inspector.listDeliveries().map((delivery) => delivery.signatureStatus)).toEqual(['invalid', 'invalid', 'missing']);
  });

  it('refuses the control port, and says so in the attempt', async () => {
    const running = await inspector();
    const control = await app();
    running.inspector.protectControlPort(control.port);
    const attempt = await running.inspector.sendTestEvent({ target: control.url('/api/status'), body: '{}', secretId: null, variant: 'valid' });
    expect(attempt).toMatchObject({ status: null, delivered: false, error: `http://127.0.0.1:${control.port} is Hooklens' own control API; send to your app's port instead.` });
    expect(control.received).toEqual([]);
  });
});

describe('replayDelivery', () => {
  async function captured() {
    const running = await inspector({ runtimeSecrets: [{ label: 'current', value: SECRET }, { label: 'staging', value: STAGING }] });
    const body = eventBody('evt_replay_1');
    const signature = hmac(SECRET, body);
    expect((await deliver(running.url, body, { 'x-request-id': 'req-42' })).status).toBe(200);
    const [delivery] = running.inspector.listDeliveries();
    return { running, body, signature, id: delivery?.id ?? 0 };
  }

  it('as captured (keep): the exact captured bytes and signature header', async () => {
    const { running, body, signature, id } = await captured();
    const target = await app();
    const attempt = await running.inspector.replayDelivery({ id, target: target.url('/webhooks'), signature: 'keep' });
    expect(attempt).toMatchObject({ kind: 'replay', deliveryId: id, target: target.url('/webhooks'), status: 200, delivered: true });
    const [received] = target.received as [ReceivedRequest];
    expect(received.body.equals(body)).toBe(true);
    expect(valuesOf(received.headers, 'x-reviewsense-signature')).toEqual([signature]);
    expect(valuesOf(received.headers, 'x-request-id')).toEqual(['req-42']);
    // The receiver's connection headers are not carried over: Host is the app's.
    expect(valuesOf(received.headers, 'host')).toEqual([`127.0.0.1:${target.port}`]);
    expect(valuesOf(received.headers, 'content-length')).toEqual([String(body.length)]);
  });

  it('whose delivery is deleted while the app is answering: the answer is given back, not filed, and nothing fails', async () => {
    const { running, id } = await captured();
    let answer: ServerResponse | undefined;
    const target = await app((_request, response) => {
      answer = response;
    });
    const pushed = collectAttempts(running);
    const replaying = running.inspector.replayDelivery({ id, target: target.url('/webhooks'), signature: 'keep' });
    await expect.poll(() => target.received.length).toBe(1);

    expect(running.inspector.clearDeliveries()).toBe(1);
    answer?.end('late');

    await expect(replaying).resolves.toMatchObject({ id: 0, deliveryId: id, status: 200, delivered: true });
    expect(pushed).toEqual([]);
    expect(running.inspector.getDelivery(id)).toBeNull();
  });

  it('re-signed with a chosen secret', async () => {
    const { running, body, id } = await captured();
    const target = await app();
    const staging = running.inspector.listSecrets().find((secret) => secret.label === 'staging');
    await running.inspector.replayDelivery({ id, target: target.url(), signature: 'valid', secretId: staging?.id ?? null });
    const [received] = target.received as [ReceivedRequest];
    expect(received.body.equals(body)).toBe(true);
    expect(valuesOf(received.headers, 'x-reviewsense-signature')).toEqual([hmac(STAGING, body)]);
  });

  it('with an edited body, re-signed over the edited bytes', async () => {
    const { running, id } = await captured();
    const target = await app();
    const edited = '{"id":"evt_replay_1","type":"review.analysed","data":{"score":12}}';
    const attempt = await running.inspector.replayDelivery({ id, target: target.url(), signature: 'valid', body: edited });
    const [received] = target.received as [ReceivedRequest];
    expect(received.body.toString()).toBe(edited);
    expect(valuesOf(received.headers, 'x-reviewsense-signature')).toEqual([hmac(SECRET, edited)]);
    expect(Buffer.from(attempt.requestBodyBase64 ?? '', 'base64').toString()).toBe(edited);
  });

  it('refuses an edited body with the captured signature, in a sentence, sending nothing', async () => {
    const { running, id } = await captured();
    const target = await app();
    const replay = running.inspector.replayDelivery({ id, target: target.url(), signature: 'keep', body: '{"edited":true}' });
    await expect(replay).rejects.toBeInstanceOf(ApiInputError);
    await expect(replay).rejects.toThrow('An edited body cannot keep the captured signature (it would not match): re-sign it.');
    expect(target.received).toEqual([]);
    expect(running.inspector.getDelivery(id)?.attempts).toEqual([]);
  });

  it('refuses an unknown delivery and an unknown secret id', async () => {
    const { running, id } = await captured();
    const target = await app();
    await expect(running.inspector.replayDelivery({ id: 999, target: target.url(), signature: 'valid' })).rejects.toThrow(
      'Delivery #999 does not exist or has no stored body (a rejected request).',
    );
    await expect(running.inspector.replayDelivery({ id, target: target.url(), signature: 'valid', secretId: 'runtime-9' })).rejects.toThrow(
      'No signing secret with id runtime-9; pick one from Settings.',
    );
    expect(target.received).toEqual([]);
  });

  it('stores each attempt with the delivery, newest first, pushes it, and shows the last on the summary', async () => {
    const { running, id } = await captured();
    const pushed = collectAttempts(running);
    let answer = 200;
    const target = await app((_request, response) => response.writeHead(answer).end(`answered ${answer}`));

    const first = await running.inspector.replayDelivery({ id, target: target.url(), signature: 'keep' });
    answer = 500;
    const second = await running.inspector.replayDelivery({ id, target: target.url(), signature: 'valid' });
    const third = await running.inspector.replayDelivery({ id, target: target.url(), signature: 'valid' });

    expect(pushed).toEqual([first, second, third]);
    const attempts = running.inspector.getDelivery(id)?.attempts ?? [];
    expect(attempts).toEqual([third, second, first]);
    expect(attempts.map((attempt) => attempt.id)).toEqual([third.id, second.id, first.id].sort((a, b) => b - a));
    expect(attempts.every((attempt) => attempt.deliveryId === id && attempt.kind === 'replay')).toBe(true);
    // Each attempt records what was sent and what came back.
    expect(attempts.map((attempt) => Buffer.from(attempt.requestBodyBase64 ?? '', 'base64'))).toEqual([...target.received].reverse().map((received) => received.body));
    expect(Buffer.from(third.responseBodyBase64 ?? '', 'base64').toString()).toBe('answered 500');
    // Failed replays of one event count as its retries.
    expect(first.verdict).toBe('would count as delivered');
    expect(second.verdict).toBe('would fail (answered 500): retry #1 in 5 minutes');
    expect(third.verdict).toBe('would fail (answered 500): retry #2 in 30 minutes');

    const [summary] = running.inspector.listDeliveries();
    expect(summary?.lastAttempt).toEqual({ kind: 'replay', status: 500, delivered: false, queued: false, ok: false });
  });
});

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

describe('the forward queue', () => {
  const ids = ['evt_queue_1', 'evt_queue_2', 'evt_queue_3'];

  it('keeps deliveries while the app is down, then sends them in order once it listens', async () => {
    const port = await freePort();
    const running = await inspector({ forwarding: { enabled: true, target: `http://127.0.0.1:${port}/webhooks`, mirror: false } });
    for (const id of ids) expect((await deliver(running.url, eventBody(id))).status).toBe(200);
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(3);
    const [first] = running.inspector.getForwarding().queue.items;
    expect(first?.lastError).toBe(`Connection refused: nothing is listening on 127.0.0.1 port ${port}. Is your app running?`);

    const target = await app(undefined, port);
    await expect.poll(() => target.received.length, { timeout: 20_000 }).toBe(3);
    expect(target.received.map(idOf)).toEqual(ids);
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(0);

    const deliveries = running.inspector.listDeliveries();
    expect(deliveries.map((delivery) => delivery.lastAttempt)).toEqual(Array.from({ length: 3 }, () => ({ kind: 'forward', status: 200, delivered: true, queued: false, ok: true })));
    // The refused try is on record too, marked as waiting in the queue.
    const oldest = deliveries.at(-1);
    const refused = running.inspector.getDelivery(oldest?.id ?? 0)?.attempts.filter((attempt) => attempt.queued) ?? [];
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.verdict).toMatch(/; waiting in the forward queue until the app accepts connections$/);
  });

  it('is emptied by Delete all, and the forwarding panel hears of it', async () => {
    const port = await freePort();
    const running = await inspector({ forwarding: { enabled: true, target: `http://127.0.0.1:${port}/webhooks`, mirror: false } });
    for (const id of ids) expect((await deliver(running.url, eventBody(id))).status).toBe(200);
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(3);
    const pushed: number[] = [];
    running.inspector.on('forwarding', (status) => pushed.push(status.queue.count));

    expect(running.inspector.clearDeliveries()).toBe(3);

    expect(pushed).toEqual([0]);
    expect(running.inspector.getForwarding().queue).toMatchObject({ count: 0, items: [] });
  });

  it('keeps a delivery whose connection the app resets (a hot reload), and sends it once the app answers', async () => {
    // An app that accepts the first connection and drops it without answering, then answers normally.
    let dropped = false;
    const app = await startApp((_request, response) => {
      if (dropped) return void response.end('ok');
      dropped = true;
      response.socket?.destroy();
    });
    const answered = () => app.received.slice(1).map((request) => (JSON.parse(request.body.toString()) as { id: string }).id);
    try {
      const running = await inspector({ forwarding: { enabled: true, target: app.url('/webhooks'), mirror: false } });
      expect((await deliver(running.url, eventBody('evt_reset'))).status).toBe(200);
      await expect.poll(answered, { timeout: 20_000 }).toEqual(['evt_reset']);
      await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(0);
      const [delivery] = running.inspector.listDeliveries();
      const attempts = running.inspector.getDelivery(delivery?.id ?? 0)?.attempts ?? [];
      expect(attempts.some((attempt) => attempt.queued && attempt.status === null)).toBe(true);
      expect(attempts[0]).toMatchObject({ status: 200, delivered: true });
    } finally {
      await app.close();
    }
  });

  it('sends what waits to the new target when the target is changed to a listening app', async () => {
    const port = await freePort();
    const running = await inspector({ forwarding: { enabled: true, target: `http://127.0.0.1:${port}/webhooks`, mirror: false } });
    for (const id of ids.slice(0, 2)) expect((await deliver(running.url, eventBody(id))).status).toBe(200);
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(2);

    // The developer sees the app is on another port and points forwarding at it.
    const target = await app();
    running.inspector.setForwarding({ enabled: true, target: target.url('/webhooks'), mirror: false });
    expect((await deliver(running.url, eventBody(ids[2] as string))).status).toBe(200);

    await expect.poll(() => target.received.length, { timeout: 5_000 }).toBe(3);
    expect(target.received.map(idOf)).toEqual(ids);
    expect(running.inspector.getForwarding().queue.count).toBe(0);
  });

  it('keeps them across a restart of Hooklens, and sends them in order once the app listens', async () => {
    const port = await freePort();
    const dir = tempDir();
    scope.defer(() => dir.cleanup());
    const config: InspectorConfig = {
      dataDir: dir.path,
      runtimeSecrets: [{ label: 'current', value: SECRET }],
      receiver: { port: 0 },
      forwarding: { enabled: true, target: `http://127.0.0.1:${port}/webhooks`, mirror: false },
    };

    const before = new Inspector(config);
    await before.start();
    for (const id of ids) expect((await deliver(before.receiverUrl as string, eventBody(id))).status).toBe(200);
    await expect.poll(() => before.getForwarding().queue.count).toBe(3);
    await before.stop();

    const after = new Inspector(config);
    scope.defer(() => after.stop());
    await after.start();
    expect(after.getForwarding().queue.items.map((item) => item.deliveryId)).toEqual([1, 2, 3]);

    const target = await app(undefined, port);
    await expect.poll(() => target.received.length, { timeout: 20_000 }).toBe(3);
    expect(target.received.map(idOf)).toEqual(ids);
    await expect.poll(() => after.getForwarding().queue.count).toBe(0);
    expect(after.listDeliveries().map((delivery) => delivery.lastAttempt?.delivered)).toEqual([true, true, true]);
  });
});

/**
 * Takes over unhandled promise rejections for one test, so that one is an assertion of the test
 * (not an error of the whole run), and hands them back after.
 */
function takeUnhandledRejections() {
  const saved = process.listeners('unhandledRejection');
  const caught: unknown[] = [];
  const listener = (reason: unknown) => void caught.push(reason);
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', listener);
  return {
    caught,
    restore() {
      process.off('unhandledRejection', listener);
      for (const original of saved) process.on('unhandledRejection', original);
    },
  };
}

describe('stopping Hooklens while a forward is in flight', () => {
  /** An app that holds every request until released, then answers 200 at once. */
  async function holdingApp(port?: number) {
    const held: ServerResponse[] = [];
    let holding = true;
    const started = await app((_request, response) => (holding ? void held.push(response) : response.end('ok')), port);
    return {
      ...started,
      release() {
        holding = false;
        for (const response of held.splice(0)) if (!response.destroyed) response.end('ok');
      },
    };
  }

  function queuedIds(dataDir: string): number[] {
    const db = new Database(join(dataDir, 'hooklens.db'), { readonly: true });
    try {
      return (db.prepare('SELECT delivery_id FROM forward_queue ORDER BY delivery_id').all() as { delivery_id: number }[]).map((row) => row.delivery_id);
    } finally {
      db.close();
    }
  }

  it.each([
    ['a forward from the queue', true],
    ['a live forward', false],
  ])('%s: stop cuts it cleanly, keeps it queued on disk, and the next start sends it', async (_name, fromQueue) => {
    const port = fromQueue ? await freePort() : undefined;
    let target = fromQueue ? null : await holdingApp();
    const dir = tempDir();
    scope.defer(() => dir.cleanup());
    const reported: { event: string; message: string }[] = [];
    const config: InspectorConfig = {
      dataDir: dir.path,
      runtimeSecrets: [{ label: 'current', value: SECRET }],
      receiver: { port: 0 },
      forwarding: { enabled: true, target: `http://127.0.0.1:${port ?? target?.port}/webhooks`, mirror: false },
    };
    const deps = { reportListenerError: (error: unknown, event: string) => void reported.push({ event, message: (error as Error).message }) };
    const first = new Inspector(config, deps);
    let firstStopped = false;
    scope.defer(() => (firstStopped ? undefined : first.stop()));
    await first.start();
    const body = eventBody('evt_stop');
    const probe = probeConnects();
    const unhandled = takeUnhandledRejections();
    try {
      expect((await deliver(first.receiverUrl as string, body)).status).toBe(200);
      if (fromQueue) {
        await expect.poll(() => first.getForwarding().queue.count).toBe(1);
        target = await holdingApp(port);
      }
      const held = target as Awaited<ReturnType<typeof holdingApp>>;
      // The forward (the queue's retry, or the live one) has reached the app, which holds it.
      await expect.poll(() => held.received.length, { timeout: 20_000 }).toBe(1);
      const socket = probe.sockets.at(-1);
      expect(socket?.remotePort).toBe(held.port);
      await first.stop();
      firstStopped = true;
      // The app answers only now, after Hooklens stopped and closed its database.
      held.release();
      await expect.poll(() => socket?.destroyed).toBe(true);
      // One turn of the loop: whatever that answer set off has run (a rejection would be reported by now).
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled.caught.map((reason) => (reason instanceof Error ? reason.message : String(reason)))).toEqual([]);
      expect(reported).toEqual([]);
    } finally {
      unhandled.restore();
      probe.restore();
    }
    expect(queuedIds(dir.path)).toEqual([1]);

    const second = new Inspector(config, deps);
    scope.defer(() => second.stop());
    await second.start();
    // Sent again (handlers are idempotent by event id): the same bytes, and the queue empties.
    const app = target as Awaited<ReturnType<typeof holdingApp>>;
    await expect.poll(() => app.received.length, { timeout: 20_000 }).toBe(2);
    expect(app.received[1]?.body.equals(body)).toBe(true);
    await expect.poll(() => second.getForwarding().queue.count).toBe(0);
    expect(second.listDeliveries()[0]?.lastAttempt).toEqual({ kind: 'forward', status: 200, delivered: true, queued: false, ok: true });
    expect(reported).toEqual([]);
  });
});
