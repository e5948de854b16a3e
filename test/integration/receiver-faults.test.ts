import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/main/profile/signature';
import { post, rawExchange, statusOf } from '../helpers/http';
import { faultyStore } from '../helpers/faulty-store';
import { CAPTURES, type RunningCapture } from '../helpers/capture-targets';

const SECRET = 'whsec_test_current';
const LIMIT = 64 * 1024;
let running: RunningCapture | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});


function envelopeOfSize(size: number, id = 'evt_size'): Buffer {
  const head = `{"id":"${id}","type":"webhook.test","created_at":"2026-04-24T14:30:00Z","api_version":"v1","data":{"message":"`;
  const tail = '"}}';
  return Buffer.from(head + 'x'.repeat(size - head.length - tail.length) + tail);
}

/** The receiver still works after whatever a test threw at it. */
async function expectStillServing(r: RunningCapture) {
  const body = envelopeOfSize(300, 'evt_after');
  const response = await post(r.url, body, { 'x-reviewsense-signature': sign(SECRET, body) });
  expect(response.status).toBe(200);
}

// The relay's receiver is internet-facing by design: every promise here holds for it too.
describe.each(CAPTURES)('%s', (_name, startCapture) => {
  async function start(timeouts = {}, deps: Parameters<typeof startCapture>[1] = {}) {
    running = await startCapture({ receiver: { bodyLimit: LIMIT }, timeouts: { requestMs: 1500, headersMs: 1000, checkIntervalMs: 200, ...timeouts } }, deps);
    return running;
  }

  describe('receiver: body limit', () => {
    it('accepts a body exactly at the limit', async () => {
      const r = await start();
      const body = envelopeOfSize(LIMIT);
      const response = await post(r.url, body, { 'x-reviewsense-signature': sign(SECRET, body) });
      expect(response.status).toBe(200);
      expect(r.deliveries()[0]).toMatchObject({ bodySize: LIMIT, signatureStatus: 'valid', rejection: null });
    });

    it('answers 413 to a declared body over the limit and records the rejection without the body', async () => {
      const r = await start();
      const { response } = await rawExchange(
        r.port,
        [`POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nX-ReviewSense-Signature: ${'a'.repeat(64)}\r\nContent-Length: ${LIMIT + 1}\r\n\r\n`, 'x'.repeat(1000)],
        3000,
      );
      expect(statusOf(response)).toBe(413);
      const [rejected] = r.deliveries();
      expect(rejected).toMatchObject({ responseStatus: 413, bodySize: LIMIT + 1, rejection: `Body of ${LIMIT + 1} bytes exceeds the 64 KiB limit; not stored.` });
      const detail = r.detail(rejected?.id ?? 0);
      expect(detail?.body).toBeNull();
      expect(detail?.headers.map(([name]) => name)).toContain('X-ReviewSense-Signature');
      await expectStillServing(r);
    });

    it('records the rejection also when the capture path is percent-encoded', async () => {
      const r = await start();
      const { response } = await rawExchange(r.port, [`POST /hooks/%72eviewsense HTTP/1.1\r\nHost: x\r\nContent-Length: ${LIMIT + 1}\r\n\r\n`], 3000);
      expect(statusOf(response)).toBe(413);
      expect(r.deliveries()[0]).toMatchObject({ responseStatus: 413, path: '/hooks/%72eviewsense' });
    });

    it('answers 413 to a chunked body that grows over the limit and records it', async () => {
      const r = await start();
      const chunk = 'y'.repeat(16 * 1024);
      const chunked = (data: string) => `${data.length.toString(16)}\r\n${data}\r\n`;
      const { response } = await rawExchange(
        r.port,
        ['POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n', ...Array.from({ length: 6 }, () => chunked(chunk))],
        3000,
      );
      expect(statusOf(response)).toBe(413);
      expect(r.deliveries()[0]).toMatchObject({ responseStatus: 413, rejection: expect.stringMatching(/Chunked body exceeded/) });
      await expectStillServing(r);
    });
  });

  describe('receiver: malformed and hostile connections', () => {
    it('refuses Content-Length together with Transfer-Encoding (request smuggling) without storing it', async () => {
      const r = await start();
      const { response } = await rawExchange(
        r.port,
        ['POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'],
        3000,
      );
      expect(statusOf(response)).toBe(400);
      expect(r.deliveries()).toHaveLength(0);
      await expectStillServing(r);
    });

    it('times out a stalled body with 408 and stores nothing', async () => {
      const r = await start();
      const result = await rawExchange(r.port, ['POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{"id":'], 6000);
      expect(result.closed).toBe(true);
      expect(statusOf(result.response)).toBe(408);
      expect(result.closedAfterMs).toBeLessThan(4000);
      expect(r.deliveries()).toHaveLength(0);
      await expectStillServing(r);
    });

    it('closes a slowloris connection that trickles headers', async () => {
      const r = await start();
      const trickle = ['POST /hooks/reviewsense HTTP/1.1\r\n'];
      for (let i = 0; i < 40; i++) trickle.push(`X-Slow-${i}: a\r\n`, 100 as never);
      const result = await rawExchange(r.port, trickle as (string | number)[], 6000);
      expect(result.closed).toBe(true);
      expect(result.closedAfterMs).toBeLessThan(3500);
      expect(statusOf(result.response)).toBe(408);
      await expectStillServing(r);
    });

    it('survives a connection reset mid-body and stores nothing for it', async () => {
      const r = await start();
      await rawExchange(r.port, ['POST /hooks/reviewsense HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n', 'partial', 50], 500, { reset: true });
      // A delivery sent after the reset is answered only once committed: if the reset one had been
      // stored, it would be there by then.
      await expectStillServing(r);
      expect(r.deliveries().map((delivery) => delivery.eventId)).toEqual(['evt_after']);
    });

    it('does not crash on garbage instead of HTTP', async () => {
      const r = await start();
      const result = await rawExchange(r.port, ['\u0000\u0001GARBAGE / NOPE\r\n\r\n'], 2000);
      expect(statusOf(result.response)).toBe(400);
      await expectStillServing(r);
    });
  });

  describe('receiver: storage failures', () => {
    it('answers 503 while the disk is full, stores nothing acknowledged, and recovers', async () => {
      const store = faultyStore();
      const r = await start({}, { openStore: store.openStore });
      const errors: string[] = [];
      r.onStorageError((reason) => errors.push(reason));
      await expectStillServing(r);
      store.fail('disk-full');
      const body = envelopeOfSize(30_000, 'evt_full');
      const refused = await post(r.url, body, { 'x-reviewsense-signature': sign(SECRET, body) });
      expect(refused.status).toBe(503);
      expect(refused.headers['retry-after']).toBe('5');
      expect(JSON.parse(refused.body).message).toMatch(/full/);
      expect(errors).toHaveLength(1);
      expect(r.deliveries({ text: 'evt_full' })).toHaveLength(0);

      store.recover();
      const accepted = await post(r.url, body, { 'x-reviewsense-signature': sign(SECRET, body) });
      expect(accepted.status).toBe(200);
      expect(r.deliveries()[0]).toMatchObject({ eventId: 'evt_full', duplicateOf: null });
    });

    it('answers 503 while the database is read-only, then recovers', async () => {
      const store = faultyStore();
      const r = await start({}, { openStore: store.openStore });
      store.fail('read-only');
      const body = envelopeOfSize(400, 'evt_ro');
      expect((await post(r.url, body, { 'x-reviewsense-signature': sign(SECRET, body) })).status).toBe(503);
      store.recover();
      expect((await post(r.url, body, { 'x-reviewsense-signature': sign(SECRET, body) })).status).toBe(200);
      expect(r.deliveries()).toHaveLength(1);
    });
  });
});
