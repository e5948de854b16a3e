import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/main/profile/signature';
import { post, rawExchange, statusOf } from '../helpers/http';
import { startInspector, type RunningInspector } from '../helpers/inspector';

const SECRET = 'whsec_test_current';
// The spec's example payload, as ReviewSense would send it.
const example = Buffer.from(
  JSON.stringify({
    id: 'evt_01JQZ8X7Y6W5V4T3S2R1Q0P9N8',
    type: 'review.analysed',
    created_at: '2026-04-24T14:30:00Z',
    api_version: 'v1',
    data: {
      analysis_id: 'rs_ana_01JQZ8X7Y6W5V4T3S2R1Q0P9N8',
      review_id: 'wc_rev_1042',
      sentiment: 'positive',
      score: 87,
      topics: ['shipping', 'quality'],
      response_draft: 'Thank you for your kind words!...',
    },
  }),
);

let running: RunningInspector;

beforeEach(async () => {
  running = await startInspector();
});

afterEach(async () => {
  await running.stop();
});

function latest() {
  const [summary] = running.inspector.listDeliveries({ limit: 1 });
  if (!summary) throw new Error('nothing stored');
  const detail = running.inspector.getDelivery(summary.id)?.delivery;
  if (!detail) throw new Error('stored row vanished');
  return detail;
}

function signed(body: Buffer, extra: Record<string, string | string[]> = {}) {
  return post(running.url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, body), ...extra });
}

describe('receiver: capture', () => {
  it('acknowledges the signed spec example with 200 after storing it byte-exact', async () => {
    const response = await signed(example);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, signature: 'valid', duplicateOf: null });
    const stored = latest();
    expect(Buffer.from(stored.bodyBase64 ?? '', 'base64').equals(example)).toBe(true);
    expect(stored).toMatchObject({
      eventId: 'evt_01JQZ8X7Y6W5V4T3S2R1Q0P9N8',
      eventType: 'review.analysed',
      signatureStatus: 'valid',
      signatureSecret: { label: 'current' },
      responseStatus: 200,
      method: 'POST',
      path: '/hooks/reviewsense',
      contentType: 'application/json',
      remoteAddress: '127.0.0.1',
      bodySize: example.length,
      parseError: null,
    });
  });

  it('emits a delivery event once the row is committed', async () => {
    const seen: number[] = [];
    running.inspector.on('delivery', (delivery) => seen.push(delivery.id));
    const response = await signed(example);
    expect(seen).toEqual([JSON.parse(response.body).delivery]);
  });

  it('keeps headers in received order with duplicates', async () => {
    const body = '{}';
    const { response } = await rawExchange(
      running.port,
      [`POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nX-Trace: one\r\nContent-Length: 2\r\nx-trace: two\r\nConnection: close\r\n\r\n${body}`],
      3000,
    );
    expect(statusOf(response)).toBe(200);
    expect(latest().headers).toEqual([
      ['Host', 'x'],
      ['X-Trace', 'one'],
      ['Content-Length', '2'],
      ['x-trace', 'two'],
      ['Connection', 'close'],
    ]);
  });

  it('answers 200 to a wrong signature by default, with a diagnosis', async () => {
    const response = await post(running.url, example, { 'x-reviewsense-signature': sign('whsec_wrong', example) });
    expect(response.status).toBe(200);
    expect(latest()).toMatchObject({ signatureStatus: 'invalid', signatureDiagnosis: expect.stringMatching(/does not match the active secret/) });
  });

  it('records a missing signature', async () => {
    await post(running.url, example, { 'content-type': 'application/json' });
    expect(latest()).toMatchObject({ signatureStatus: 'missing', signatureDiagnosis: expect.stringMatching(/No X-ReviewSense-Signature/) });
  });

  it('records a duplicated signature header as malformed', async () => {
    const good = sign(SECRET, example);
    const { response } = await rawExchange(
      running.port,
      [
        `POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nX-ReviewSense-Signature: ${good}\r\nX-ReviewSense-Signature: ${good}\r\nContent-Length: ${example.length}\r\nConnection: close\r\n\r\n`,
        example,
      ],
      3000,
    );
    expect(statusOf(response)).toBe(200);
    expect(latest()).toMatchObject({ signatureStatus: 'malformed', signatureDiagnosis: expect.stringMatching(/appears 2 times/) });
  });

  it.each([
    ['non-hex', 'g'.repeat(64), /not a hex digest/],
    ['upper-case', 'UPPER', /upper-case/],
    ['sha256=-prefixed', 'PREFIX', /"sha256=" prefix/],
    ['trailing junk', 'JUNK', /extra character/],
  ])('records a %s signature as malformed with a diagnosis', async (_name, kind, diagnosis) => {
    const good = sign(SECRET, example);
    const header = kind === 'UPPER' ? good.toUpperCase() : kind === 'PREFIX' ? `sha256=${good}` : kind === 'JUNK' ? `${good}xyz` : kind;
    expect((await post(running.url, example, { 'x-reviewsense-signature': header })).status).toBe(200);
    expect(latest()).toMatchObject({ signatureStatus: 'malformed', signatureDiagnosis: expect.stringMatching(diagnosis) });
  });

  it('stores invalid JSON with a valid signature, and says why it is not an envelope', async () => {
    const body = Buffer.from('{"id": "evt_1", oops');
    expect((await signed(body)).status).toBe(200);
    expect(latest()).toMatchObject({ signatureStatus: 'valid', eventId: null, parseError: expect.stringMatching(/not valid JSON/) });
  });

  it('stores non-UTF-8 bytes exactly', async () => {
    const body = Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x00, 0x22, 0x7d]);
    expect((await signed(body)).status).toBe(200);
    const stored = latest();
    expect(Buffer.from(stored.bodyBase64 ?? '', 'base64').equals(body)).toBe(true);
    expect(stored).toMatchObject({ signatureStatus: 'valid', parseError: expect.stringMatching(/UTF-8/) });
  });

  it('stores an empty body', async () => {
    expect((await post(running.url, '', { 'x-reviewsense-signature': sign(SECRET, '') })).status).toBe(200);
    expect(latest()).toMatchObject({ bodySize: 0, signatureStatus: 'valid', parseError: expect.stringMatching(/empty/) });
  });

  it('captures a missing, an unknown and a malformed Content-Type (no 415)', async () => {
    for (const contentType of [undefined, 'text/x-nonsense', 'foo', ';;;']) {
      const headers: Record<string, string> = { 'x-reviewsense-signature': sign(SECRET, example) };
      if (contentType) headers['content-type'] = contentType;
      const response = await post(running.url, example, headers);
      expect(response.status, String(contentType)).toBe(200);
      expect(latest()).toMatchObject({ contentType: contentType ?? null, signatureStatus: 'valid', eventType: 'review.analysed' });
    }
  });

  it('stores a gzip-encoded body as received and still reads its envelope', async () => {
    const gz = gzipSync(example);
    const response = await post(running.url, gz, { 'content-encoding': 'gzip', 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, gz) });
    expect(response.status).toBe(200);
    const stored = latest();
    expect(Buffer.from(stored.bodyBase64 ?? '', 'base64').equals(gz)).toBe(true);
    expect(stored).toMatchObject({ eventId: 'evt_01JQZ8X7Y6W5V4T3S2R1Q0P9N8', signatureStatus: 'valid' });
  });

  it('captures any method and any path under the capture path, with the query string', async () => {
    expect((await post(`${running.url}/orders?x=1`, example, {}, 'PUT')).status).toBe(200);
    expect(latest()).toMatchObject({ method: 'PUT', path: '/hooks/reviewsense/orders?x=1' });
    expect((await post(running.url, 'get-body', {}, 'GET')).status).toBe(200);
    expect(latest()).toMatchObject({ method: 'GET', bodySize: 8 });
    expect(Buffer.from(latest().bodyBase64 ?? '', 'base64').toString()).toBe('get-body');
    for (const method of ['PROPFIND', 'QUERY', 'DELETE', 'OPTIONS', 'PATCH', 'MKCOL']) {
      expect((await post(running.url, `${method} body`, {}, method)).status, method).toBe(200);
      expect(latest(), method).toMatchObject({ method, bodySize: method.length + 5 });
    }
    expect((await post(running.url, '', {}, 'HEAD')).status).toBe(200);
    expect(latest()).toMatchObject({ method: 'HEAD' });
  });

  it('serves nothing outside the capture path and stores nothing for it', async () => {
    for (const path of ['/', '/api/deliveries', '/hooks/reviewsensex', '/index.html']) {
      const response = await post(`http://127.0.0.1:${running.port}${path}`, example);
      expect(response.status, path).toBe(404);
    }
    expect(running.inspector.listDeliveries()).toHaveLength(0);
  });

  it('links 50 concurrent deliveries of one event id: one original, 49 duplicates, all 2xx', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => signed(example)));
    expect(responses.every((response) => response.status === 200)).toBe(true);
    const all = running.inspector.listDeliveries({ limit: 100 });
    expect(all).toHaveLength(50);
    const originals = all.filter((delivery) => delivery.duplicateOf === null);
    expect(originals).toHaveLength(1);
    expect(all.filter((delivery) => delivery.duplicateOf === originals[0]?.id)).toHaveLength(49);
    expect(new Set(all.map((delivery) => delivery.deliveryNumber)).size).toBe(50);
  });
});

describe('receiver: secrets', () => {
  it('diagnoses a secret pasted with a trailing newline', async () => {
    await running.stop();
    running = await startInspector({ runtimeSecrets: [{ label: 'pasted', value: `${SECRET}\n` }] });
    await signed(example);
    expect(latest()).toMatchObject({ signatureStatus: 'invalid', signatureDiagnosis: expect.stringMatching(/'pasted'.*ends with a newline/) });
  });

  it('records unchecked when no secret is configured', async () => {
    await running.stop();
    running = await startInspector({ runtimeSecrets: [] });
    expect((await signed(example)).status).toBe(200);
    expect(latest().signatureStatus).toBe('unchecked');
  });
});

describe('receiver: response modes', () => {
  it('answers 401 to bad signatures in strict mode, and still stores them', async () => {
    running.inspector.setResponse({ ...running.inspector.getResponse(), strict: true });
    const bad = await post(running.url, example, { 'x-reviewsense-signature': sign('whsec_wrong', example) });
    expect(bad.status).toBe(401);
    expect(JSON.parse(bad.body).error).toBe('The X-ReviewSense-Signature check failed. Hooklens shows why.');
    expect(bad.body).not.toContain('current');
    expect(latest()).toMatchObject({ signatureStatus: 'invalid', responseStatus: 401 });
    expect((await signed(example)).status).toBe(200);
  });

  it('answers with a custom status, body and delay, after storing', async () => {
    running.inspector.setResponse({ status: 202, body: 'queued', contentType: 'text/plain', delayMs: 300, strict: false });
    const started = Date.now();
    const response = await signed(example);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(response).toMatchObject({ status: 202, body: 'queued' });
    expect(response.headers['content-type']).toBe('text/plain');
    expect(latest().responseStatus).toBe(202);
  });

  it('refuses an invalid response setting', () => {
    expect(() => running.inspector.setResponse({ ...running.inspector.getResponse(), status: 99 })).toThrow(/status/);
  });
});
