// Sending a test event (Inspector.sendTestEvent) and replaying a captured delivery
// (Inspector.replayDelivery): the bytes and signature sent, the refusals, the attempts stored.
import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import { ApiInputError } from '../../src/shared/validate';
import { valuesOf, type ReceivedRequest } from '../helpers/app-server';
import { testScope } from '../helpers/test-scope';
import { collectAttempts, deliver, eventBody, hmac, SECRET } from './outgoing/events';

const STAGING = 'whsec_staging_other';

const scope = testScope();
const { inspector, app } = scope;

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
