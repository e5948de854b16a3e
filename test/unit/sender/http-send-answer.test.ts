// sendRequest (the sender's HTTP exchange): the answer, judged by ReviewSense's rule (2xx,
// redirects not followed, capped bodies, refused connections, deadlines, aborts, the 10-s limit).
import { describe, expect, it } from 'vitest';
import { MAX_RESPONSE_BYTES, sendRequest, type SendOptions } from '../../../src/main/sender/http-send';
import { attemptRecord } from '../../../src/main/sender/sender-service';
import { freePort } from '../../helpers/app-server';
import { appScope, loopbackOnly, post } from './http-send-harness';

const { app } = appScope();

describe('sendRequest: the answer, judged by ReviewSense\'s rule', () => {
  it('counts a 2xx as delivered', async () => {
    const target = await app((_request, response) => response.writeHead(204).end());
    const { sent, answer } = await sendRequest(post(target.url(), Buffer.from('{}')), { policy: loopbackOnly });
    expect(answer.status).toBe(204);
    expect(attemptRecord({ kind: 'send', deliveryId: null }, sent, answer)).toMatchObject({ delivered: true, verdict: 'would count as delivered', status: 204, error: null });
  });

  it('judges a 500 not delivered: "would fail (answered 500): retry #1 in 5 minutes"', async () => {
    const target = await app((_request, response) => response.writeHead(500, { 'content-type': 'text/plain' }).end('boom'));
    const { sent, answer } = await sendRequest(post(target.url(), Buffer.from('{}')), { policy: loopbackOnly });
    expect(answer).toMatchObject({ status: 500, error: null, refused: false });
    expect(answer.body?.toString()).toBe('boom');
    const record = attemptRecord({ kind: 'send', deliveryId: null }, sent, answer);
    expect(record.delivered).toBe(false);
    expect(record.verdict).toBe('would fail (answered 500): retry #1 in 5 minutes');
    // A later failure of the same event names the next retry.
    expect(attemptRecord({ kind: 'replay', deliveryId: 1, failuresBefore: 1 }, sent, answer).verdict).toBe('would fail (answered 500): retry #2 in 30 minutes');
    expect(attemptRecord({ kind: 'replay', deliveryId: 1, failuresBefore: 5 }, sent, answer).verdict).toBe('would fail (answered 500): the endpoint would be marked inactive');
  });

  it('does not follow a 302: the redirect target sees nothing, and the verdict says redirects are not followed', async () => {
    const elsewhere = await app();
    const target = await app((_request, response) => response.writeHead(302, { location: elsewhere.url('/moved') }).end());
    const { sent, answer } = await sendRequest(post(target.url(), Buffer.from('{"id":"evt_redirect"}')), { policy: loopbackOnly });
    expect(answer.status).toBe(302);
    expect(answer.headers).toContainEqual(['location', elsewhere.url('/moved')]);
    expect(target.received).toHaveLength(1);
    expect(elsewhere.received).toEqual([]);
    const record = attemptRecord({ kind: 'send', deliveryId: null }, sent, answer);
    expect(record.delivered).toBe(false);
    expect(record.verdict).toBe('would fail (answered 302: redirects are not followed): retry #1 in 5 minutes');
  });

  it('caps a response body over 1 MiB and says it was truncated', async () => {
    const big = Buffer.alloc(MAX_RESPONSE_BYTES + 300 * 1024, 'x');
    big.write('START', 0);
    const target = await app((_request, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end(big));
    const { answer } = await sendRequest(post(target.url(), Buffer.from('{}')), { policy: loopbackOnly });
    expect(MAX_RESPONSE_BYTES).toBe(1024 * 1024);
    expect(answer.status).toBe(200);
    expect(answer.truncated).toBe(true);
    expect(answer.body?.length).toBe(MAX_RESPONSE_BYTES);
    expect(answer.body?.equals(big.subarray(0, MAX_RESPONSE_BYTES))).toBe(true);
    expect(answer.error).toBeNull();
  });

  it('keeps a response body of exactly 1 MiB whole, not truncated', async () => {
    const exact = Buffer.alloc(MAX_RESPONSE_BYTES, 'y');
    const target = await app((_request, response) => response.writeHead(200).end(exact));
    const { answer } = await sendRequest(post(target.url(), Buffer.from('{}')), { policy: loopbackOnly });
    expect(answer.truncated).toBe(false);
    expect(answer.body?.equals(exact)).toBe(true);
  });

  it('reports a refused connection as refused, with a sentence that names the port', async () => {
    const port = await freePort();
    const { sent, answer } = await sendRequest(post(`http://127.0.0.1:${port}/hooks`, Buffer.from('{}')), { policy: loopbackOnly });
    expect(answer).toMatchObject({ status: null, headers: null, body: null, refused: true });
    expect(answer.error).toBe(`Connection refused: nothing is listening on 127.0.0.1 port ${port}. Is your app running?`);
    const record = attemptRecord({ kind: 'send', deliveryId: null }, sent, answer);
    expect(record.delivered).toBe(false);
    expect(record.verdict).toBe(`would fail (${answer.error}): retry #1 in 5 minutes`);
  });

  it('fails an exchange that outlasts a given deadline, and says so', async () => {
    const target = await app(() => {
      // Never answers.
    });
    const options: SendOptions = { policy: loopbackOnly, deadlineMs: 300 };
    const { sent, answer } = await sendRequest(post(target.url(), Buffer.from('{}')), options);
    expect(target.received).toHaveLength(1);
    expect(answer).toMatchObject({ status: null, refused: false, error: 'No answer within 0.3 s.' });
    expect(answer.durationMs).toBeGreaterThanOrEqual(300);
    expect(attemptRecord({ kind: 'send', deliveryId: null }, sent, answer).delivered).toBe(false);
  });

  it('fails an answer whose body stalls past the deadline, though its status line was 200', async () => {
    const target = await app((_request, response) => {
      response.writeHead(200, { 'content-length': '100' });
      response.write('only part of it');
    });
    const { sent, answer } = await sendRequest(post(target.url(), Buffer.from('{}')), { policy: loopbackOnly, deadlineMs: 300 });
    expect(answer.durationMs).toBeGreaterThanOrEqual(300);
    const record = attemptRecord({ kind: 'send', deliveryId: null }, sent, answer);
    expect(record.delivered).toBe(false);
    expect(answer.error).toBe('No answer within 0.3 s.');
  });

  it('marks an exchange cut by its abort signal (Hooklens stopping) as aborted, not as an answer', async () => {
    const target = await app(() => {
      // Holds the request: only the abort ends the exchange.
    });
    const stopping = new AbortController();
    const sending = sendRequest(post(target.url(), Buffer.from('{}')), { policy: loopbackOnly, signal: stopping.signal });
    await expect.poll(() => target.received.length).toBe(1);
    stopping.abort();
    const { answer } = await sending;
    expect(answer).toMatchObject({ status: null, aborted: true, refused: false, error: 'Hooklens stopped before the answer arrived.' });
  });

  it('sends nothing when the signal is already aborted', async () => {
    const target = await app();
    const stopping = new AbortController();
    stopping.abort();
    const { answer } = await sendRequest(post(target.url(), Buffer.from('{}')), { policy: loopbackOnly, signal: stopping.signal });
    expect(answer).toMatchObject({ status: null, aborted: true, error: 'Hooklens stopped before the answer arrived.' });
    expect(target.received).toEqual([]);
  });

  it('fails a stall past ReviewSense\'s real 10-s limit: no answer within 10 s', async () => {
    const target = await app(() => {
      // Never answers.
    });
    const { sent, answer } = await sendRequest(post(target.url(), Buffer.from('{"id":"evt_slow"}')), { policy: loopbackOnly });
    expect(target.received).toHaveLength(1);
    expect(answer.status).toBeNull();
    expect(answer.error).toBe('No answer within 10 s.');
    expect(answer.durationMs).toBeGreaterThanOrEqual(10_000);
    const record = attemptRecord({ kind: 'send', deliveryId: null }, sent, answer);
    expect(record.delivered).toBe(false);
    expect(record.verdict).toBe('would fail (No answer within 10 s.): retry #1 in 5 minutes');
  }, 25_000);
});
