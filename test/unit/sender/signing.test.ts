import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../../src/main/profile/samples';
import { sendRequest } from '../../../src/main/sender/http-send';
import { applySignature, tamper } from '../../../src/main/sender/signing';
import type { TargetPolicy } from '../../../src/main/sender/target-policy';
import type { SignatureVariant } from '../../../src/shared/outgoing';
import { EVENT_TYPES, type EventType } from '../../../src/shared/reviewsense/catalogue';
import { startApp, valuesOf, type ReceivedRequest, type TestApp } from '../../helpers/app-server';
import { startSpecHandler } from '../../helpers/spec-handler';

const SECRET = 'whsec_signing_suite';
/** The secret ReviewSense signed the "captured" deliveries with (for `keep`). */
const CAPTURE_SECRET = 'whsec_reviewsense_endpoint';
const policy: TargetPolicy = { allowHosts: () => [], refusedPorts: () => [] };

/** Independent of the code under test: the spec's formula, HMAC-SHA256(secret, raw bytes) in hex. */
const hmac = (secret: string, bytes: Buffer): string => createHmac('sha256', secret).update(bytes).digest('hex');

/** A ReviewSense event as bytes; pretty-printed with a trailing newline so any re-serialisation would show. */
function eventBytes(type: EventType): Buffer {
  return Buffer.from(`${JSON.stringify(sampleEvent(type), null, 2)}\n`);
}

/** Headers as captured from ReviewSense, signature included (every non-keep variant must replace it). */
function capturedHeaders(body: Buffer): [string, string][] {
  return [
    ['Content-Type', 'application/json'],
    ['User-Agent', 'ReviewSense-Webhooks/1.0'],
    ['x-reviewsense-signature', hmac(CAPTURE_SECRET, body)],
  ];
}

const VARIANTS: SignatureVariant[] = ['valid', 'invalid', 'none', 'tampered', 'keep'];
const CASES = EVENT_TYPES.flatMap((type) => VARIANTS.map((variant) => [type, variant] as const));

describe('applySignature, as received by a real server, for every event type and variant', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startApp();
  });
  afterAll(() => app.close());

  async function sendSigned(type: EventType, variant: SignatureVariant) {
    const body = eventBytes(type);
    const headers = capturedHeaders(body);
    const signed = applySignature(variant, SECRET, headers, body);
    const before = app.received.length;
    const { answer } = await sendRequest({ target: app.url(), method: 'POST', headers: signed.headers, body: signed.body }, { policy });
    expect(answer.status).toBe(200);
    expect(app.received).toHaveLength(before + 1);
    const received = app.received.at(-1) as ReceivedRequest;
    return { body, headers, signed, received, signatures: valuesOf(received.headers, 'x-reviewsense-signature') };
  }

  it.each(CASES)('%s, %s', async (type, variant) => {
    const { body, headers, signed, received, signatures } = await sendSigned(type, variant);
    expect(valuesOf(received.headers, 'content-length')).toEqual([String(received.body.length)]);
    switch (variant) {
      case 'valid':
        // The HMAC of the bytes that actually arrived, with the chosen secret; the stale one replaced.
        expect(received.body.equals(body)).toBe(true);
        expect(signatures).toEqual([hmac(SECRET, received.body)]);
        break;
      case 'invalid':
        expect(received.body.equals(body)).toBe(true);
        expect(signatures).toHaveLength(1);
        expect(signatures[0]).toMatch(/^[0-9a-f]{64}$/);
        expect(signatures[0]).not.toBe(hmac(SECRET, received.body));
        expect(signatures[0]).not.toBe(hmac(CAPTURE_SECRET, received.body));
        break;
      case 'none':
        expect(received.body.equals(body)).toBe(true);
        expect(signatures).toEqual([]);
        expect(signed.signature).toBeNull();
        break;
      case 'tampered': {
        // Signed over the bytes before the change; the bytes sent are not those.
        expect(signatures).toEqual([hmac(SECRET, body)]);
        expect(received.body.equals(body)).toBe(false);
        expect(signatures[0]).not.toBe(hmac(SECRET, received.body));
        // Still the same event, still JSON: only a field was slipped in.
        const parsed = JSON.parse(received.body.toString()) as { id: string; type: string; tampered?: boolean };
        expect(parsed).toMatchObject({ id: (JSON.parse(body.toString()) as { id: string }).id, type, tampered: true });
        break;
      }
      case 'keep':
        expect(received.body.equals(body)).toBe(true);
        expect(signatures).toEqual([headers[2]?.[1]]);
        break;
    }
    // The signature the attempt records is the one that went out.
    expect(signed.signature).toBe(signatures[0] ?? null);
  });

  it('keeps every other header, in order, for each variant', async () => {
    for (const variant of VARIANTS) {
      const { received } = await sendSigned('review.analysed', variant);
      const others = received.headers.filter(([name]) => !/^(host|content-length|connection|x-reviewsense-signature)$/i.test(name));
      expect(others).toEqual([
        ['Content-Type', 'application/json'],
        ['User-Agent', 'ReviewSense-Webhooks/1.0'],
      ]);
    }
  });
});

describe('applySignature without a secret', () => {
  it.each(['valid', 'tampered'] as const)('refuses to make a %s signature, saying where to get one', (variant) => {
    expect(() => applySignature(variant, null, [], Buffer.from('{}'))).toThrow(`A ${variant} signature needs a signing secret: add one in Settings, or pass --secret.`);
  });

  it('makes invalid and none without one', () => {
    const body = Buffer.from('{"id":"evt_x"}');
    expect(applySignature('invalid', null, [], body).signature).toMatch(/^[0-9a-f]{64}$/);
    expect(applySignature('none', null, [['X-ReviewSense-Signature', 'old']], body)).toEqual({ headers: [], body, signature: null });
  });

  it('keeps a captured header without a secret, and none when there was none', () => {
    const body = Buffer.from('{}');
    expect(applySignature('keep', null, [['X-ReviewSense-Signature', 'captured']], body).signature).toBe('captured');
    expect(applySignature('keep', null, [['Content-Type', 'application/json']], body).signature).toBeNull();
  });
});

describe('tamper', () => {
  it('adds a field after the opening brace, so the body stays JSON but its bytes change', () => {
    const body = Buffer.from('  {"id":"evt_1","data":{}}\n');
    const changed = tamper(body);
    expect(changed.toString()).toBe('  {"tampered":true,"id":"evt_1","data":{}}\n');
    expect(JSON.parse(changed.toString())).toEqual({ tampered: true, id: 'evt_1', data: {} });
  });

  it('appends a space to a body with no brace', () => {
    expect(tamper(Buffer.from('plain')).toString()).toBe('plain ');
  });
});

describe("the spec's own verifyWebhook, in a handler on a real port", () => {
  let handler: TestApp;
  beforeAll(async () => {
    handler = await startSpecHandler(SECRET);
  });
  afterAll(() => handler.close());

  async function verdictOf(variant: Exclude<SignatureVariant, 'keep'>, type: EventType) {
    const body = eventBytes(type);
    const signed = applySignature(variant, SECRET, capturedHeaders(body), body);
    const { answer } = await sendRequest({ target: handler.url(), method: 'POST', headers: signed.headers, body: signed.body }, { policy });
    return { status: answer.status, text: answer.body?.toString() };
  }

  it.each(EVENT_TYPES)('accepts a valid send of %s', async (type) => {
    expect(await verdictOf('valid', type)).toEqual({ status: 200, text: 'verified' });
  });

  it.each(EVENT_TYPES.flatMap((type) => (['invalid', 'none', 'tampered'] as const).map((variant) => [variant, type] as const)))(
    'rejects %s for %s with 401',
    async (variant, type) => {
      expect(await verdictOf(variant, type)).toEqual({ status: 401, text: 'signature rejected' });
    },
  );

  it('rejects a kept header made with another secret, and accepts one made with its own', async () => {
    const body = eventBytes('review.flagged');
    const others: [string, string][] = [['Content-Type', 'application/json']];
    const foreign = applySignature('keep', null, [...others, ['X-ReviewSense-Signature', hmac(CAPTURE_SECRET, body)]], body);
    const own = applySignature('keep', null, [...others, ['X-ReviewSense-Signature', hmac(SECRET, body)]], body);
    const send = (signed: typeof own) => sendRequest({ target: handler.url(), method: 'POST', headers: signed.headers, body: signed.body }, { policy });
    expect((await send(foreign)).answer.status).toBe(401);
    expect((await send(own)).answer.status).toBe(200);
  });

  it('rejects a signature of the wrong length (timingSafeEqual throws; the handler answers 401)', async () => {
    const body = eventBytes('webhook.test');
    const short = applySignature('keep', null, [['X-ReviewSense-Signature', hmac(SECRET, body).slice(0, 40)]], body);
    const { answer } = await sendRequest({ target: handler.url(), method: 'POST', headers: short.headers, body: short.body }, { policy });
    expect(answer.status).toBe(401);
  });
});
