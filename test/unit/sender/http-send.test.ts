import type { LookupAddress } from 'node:dns';
import { afterEach, describe, expect, it } from 'vitest';
import { attemptRecord } from '../../../src/main/sender/sender-service';
import { MAX_RESPONSE_BYTES, sendRequest, type OutgoingRequest, type SendOptions } from '../../../src/main/sender/http-send';
import type { TargetPolicy } from '../../../src/main/sender/target-policy';
import { freePort, startApp, valuesOf, type ReceivedRequest, type Responder, type TestApp } from '../../helpers/app-server';
import { probeConnects, type ConnectProbe } from '../../helpers/connect-probe';

const loopbackOnly: TargetPolicy = { allowHosts: () => [], refusedPorts: () => [] };

/** A stand-in for DNS: answers from a table, asynchronously as the real resolver does. Never the network. */
function fakeResolver(table: Record<string, string[]>): NonNullable<TargetPolicy['resolve']> {
  return (hostname, callback) =>
    setImmediate(() => {
      const addresses = table[hostname.toLowerCase()];
      if (!addresses) return callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), []);
      callback(null, addresses.map((address): LookupAddress => ({ address, family: address.includes(':') ? 6 : 4 })));
    });
}

const apps: TestApp[] = [];
let probe: ConnectProbe | null = null;

async function app(respond?: Responder): Promise<TestApp> {
  const started = await startApp(respond);
  apps.push(started);
  return started;
}

afterEach(async () => {
  probe?.restore();
  probe = null;
  await Promise.all(apps.splice(0).map((started) => started.close()));
});

function post(target: string, body: Buffer, headers: [string, string][] = [['Content-Type', 'application/json']]): OutgoingRequest {
  return { target, method: 'POST', headers, body };
}

function only(app: TestApp): ReceivedRequest {
  expect(app.received).toHaveLength(1);
  return app.received[0] as ReceivedRequest;
}

/** The raw header block and the bytes after it, split where HTTP splits them. */
function splitWire(wire: Buffer): { head: string; after: Buffer } {
  const end = wire.indexOf('\r\n\r\n');
  expect(end).toBeGreaterThan(0);
  return { head: wire.subarray(0, end).toString('latin1'), after: wire.subarray(end + 4) };
}

describe('sendRequest: the bytes on the wire', () => {
  it('sends the body byte for byte with an exact Content-Length, never chunked', async () => {
    const target = await app();
    // UTF-8 beyond ASCII, a NUL, a byte that is not UTF-8, and a trailing newline: nothing may be re-encoded.
    const body = Buffer.concat([Buffer.from('{"text":"café – ✓ 👍"}\n'), Buffer.from([0x00, 0xff, 0x0a])]);
    const { sent, answer } = await sendRequest(post(target.url(), body), { policy: loopbackOnly });

    expect(answer).toMatchObject({ status: 200, error: null, refused: false, truncated: false });
    expect(answer.body?.toString()).toBe('ok');
    const received = only(target);
    expect(received.body.equals(body)).toBe(true);
    expect(valuesOf(received.headers, 'content-length')).toEqual([String(body.length)]);
    expect(valuesOf(received.headers, 'transfer-encoding')).toEqual([]);
    const { head, after } = splitWire(received.wire());
    expect(head).not.toMatch(/chunked/i);
    expect(head.split('\r\n')[0]).toBe('POST /hooks/reviewsense HTTP/1.1');
    // After the header block comes the body itself, with no chunk framing and nothing more.
    expect(after.equals(body)).toBe(true);
    // What the attempt records as sent is what arrived.
    expect(received.headers).toEqual(sent.headers);
    expect(sent.body.equals(body)).toBe(true);
  });

  it('sends an empty body with Content-Length: 0', async () => {
    const target = await app();
    await sendRequest(post(target.url(), Buffer.alloc(0)), { policy: loopbackOnly });
    const received = only(target);
    expect(received.body.length).toBe(0);
    expect(valuesOf(received.headers, 'content-length')).toEqual(['0']);
    expect(splitWire(received.wire()).after.length).toBe(0);
  });

  it('sends a 2 MiB body in one Content-Length message too', async () => {
    const target = await app();
    const body = Buffer.alloc(2 * 1024 * 1024);
    for (let i = 0; i < body.length; i++) body[i] = i % 251;
    const { answer } = await sendRequest(post(target.url(), body), { policy: loopbackOnly });
    expect(answer.status).toBe(200);
    const received = only(target);
    expect(received.body.equals(body)).toBe(true);
    expect(valuesOf(received.headers, 'content-length')).toEqual([String(body.length)]);
    expect(valuesOf(received.headers, 'transfer-encoding')).toEqual([]);
    expect(splitWire(received.wire()).after.equals(body)).toBe(true);
  });

  it('recomputes the hop-by-hop headers (Host, Content-Length, Connection) and drops the others, keeping the rest in order', async () => {
    const target = await app();
    const body = Buffer.from('{"id":"evt_hop"}');
    const given: [string, string][] = [
      ['Host', 'api.reviewsense.example:443'],
      ['Content-Type', 'application/json'],
      ['Connection', 'keep-alive, X-Per-Hop'],
      ['Keep-Alive', 'timeout=5, max=100'],
      ['X-Per-Hop', 'named by Connection'],
      ['Transfer-Encoding', 'chunked'],
      ['Content-Length', '999'],
      ['Proxy-Connection', 'keep-alive'],
      ['TE', 'trailers'],
      ['Trailer', 'X-Checksum'],
      ['Upgrade', 'h2c'],
      ['Expect', '100-continue'],
      ['X-ReviewSense-Signature', 'a'.repeat(64)],
      ['User-Agent', 'ReviewSense-Webhooks/1.0'],
      ['x-lower-case', 'kept as written'],
    ];
    const { sent } = await sendRequest(post(target.url('/in'), body, given), { policy: loopbackOnly });
    const received = only(target);
    expect(received.headers).toEqual([
      ['Host', `127.0.0.1:${target.port}`],
      ['Content-Type', 'application/json'],
      ['X-ReviewSense-Signature', 'a'.repeat(64)],
      ['User-Agent', 'ReviewSense-Webhooks/1.0'],
      ['x-lower-case', 'kept as written'],
      ['Content-Length', String(body.length)],
      ['Connection', 'close'],
    ]);
    expect(sent.headers).toEqual(received.headers);
    expect(received.body.equals(body)).toBe(true);
    expect(splitWire(received.wire()).head).not.toMatch(/chunked|keep-alive|100-continue|h2c/i);
  });

  it('drops every header named by any Connection header, not only by the first one', async () => {
    // RFC 9110 §7.6.1: Connection is a list; several Connection lines are one list.
    const target = await app();
    await sendRequest(
      post(target.url(), Buffer.from('{}'), [
        ['Connection', 'keep-alive'],
        ['Connection', 'X-Second-Hop'],
        ['X-Second-Hop', 'for the previous connection only'],
        ['X-End-To-End', 'kept'],
      ]),
      { policy: loopbackOnly },
    );
    const received = only(target);
    expect(valuesOf(received.headers, 'x-end-to-end')).toEqual(['kept']);
    expect(valuesOf(received.headers, 'x-second-hop')).toEqual([]);
    expect(valuesOf(received.headers, 'connection')).toEqual(['close']);
  });
});

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

describe('sendRequest: the target policy, applied to the resolved address before any connection', () => {
  it('refuses a name that resolves beyond loopback before any socket connects', async () => {
    probe = probeConnects();
    const policy: TargetPolicy = { ...loopbackOnly, resolve: fakeResolver({ 'app.example.test': ['198.51.100.7'] }) };
    const { sent, answer } = await sendRequest(post('http://app.example.test:8080/hooks', Buffer.from('{}')), { policy });
    expect(answer).toMatchObject({ status: null, refused: false });
    expect(answer.error).toBe(
      'app.example.test resolves to 198.51.100.7, which is not this machine. Hooklens sends to loopback only unless you allow the host (--allow-host app.example.test, or Settings → Outgoing).',
    );
    // The request got as far as the socket's lookup, and no further: no TCP connection was attempted.
    expect(probe.spy).toHaveBeenCalled();
    expect(probe.attempts).toEqual([]);
    expect(attemptRecord({ kind: 'send', deliveryId: null }, sent, answer).delivered).toBe(false);
  });

  it('refuses a name when any one of its addresses is beyond loopback', async () => {
    probe = probeConnects();
    const policy: TargetPolicy = { ...loopbackOnly, resolve: fakeResolver({ 'app.example.test': ['127.0.0.1', '198.51.100.7'] }) };
    const { answer } = await sendRequest(post('http://app.example.test:8080/hooks', Buffer.from('{}')), { policy });
    expect(answer.error).toMatch(/^app\.example\.test resolves to 198\.51\.100\.7, which is not this machine\./);
    expect(probe.attempts).toEqual([]);
  });

  it('sends to an allowed host (here resolving to the loopback test app)', async () => {
    const target = await app();
    probe = probeConnects();
    const policy: TargetPolicy = { allowHosts: () => ['app.example.test'], refusedPorts: () => [], resolve: fakeResolver({ 'app.example.test': ['127.0.0.1'] }) };
    const body = Buffer.from('{"id":"evt_allowed"}');
    const { answer } = await sendRequest(post(`http://app.example.test:${target.port}/hooks`, body), { policy });
    expect(answer).toMatchObject({ status: 200, error: null });
    const received = only(target);
    expect(valuesOf(received.headers, 'host')).toEqual([`app.example.test:${target.port}`]);
    expect(received.body.equals(body)).toBe(true);
    // The probe sees real connections: this one went to the loopback app, and only there.
    expect(probe.attempts).toEqual([`127.0.0.1:${target.port}`]);
  });

  it('refuses the control port, by name and by address, before connecting to it', async () => {
    const control = await app();
    probe = probeConnects();
    const policy: TargetPolicy = {
      allowHosts: () => [],
      refusedPorts: () => [{ port: control.port, why: "Hooklens' own control API" }],
      resolve: fakeResolver({ localhost: ['127.0.0.1'] }),
    };
    const byName = await sendRequest(post(`http://localhost:${control.port}/api/deliveries`, Buffer.from('{}')), { policy });
    expect(byName.answer.error).toBe(`http://localhost:${control.port} is Hooklens' own control API; send to your app's port instead.`);
    const byAddress = await sendRequest(post(`http://127.0.0.1:${control.port}/api/deliveries`, Buffer.from('{}')), { policy });
    expect(byAddress.answer.error).toBe(`http://127.0.0.1:${control.port} is Hooklens' own control API; send to your app's port instead.`);
    expect(byAddress.answer.status).toBeNull();
    expect(probe.attempts).toEqual([]);
    expect(control.received).toEqual([]);
  });

  it('says a name cannot be resolved, without connecting', async () => {
    probe = probeConnects();
    const policy: TargetPolicy = { ...loopbackOnly, resolve: fakeResolver({}) };
    const { answer } = await sendRequest(post('http://nowhere.example.test/hooks', Buffer.from('{}')), { policy });
    expect(answer).toMatchObject({ status: null, refused: false, error: 'Cannot resolve nowhere.example.test.' });
    expect(probe.attempts).toEqual([]);
  });

  it.each([
    ['not a url', '"not a url" is not a URL; give one such as http://localhost:3000/hooks/reviewsense.'],
    ['ftp://127.0.0.1/hooks', 'Only http and https targets are supported, not ftp.'],
    ['http://user:pass@127.0.0.1:3000/hooks', 'Put no user name or password in the target URL.'],
  ])('refuses the target %j without connecting', async (target, error) => {
    probe = probeConnects();
    const { answer } = await sendRequest(post(target, Buffer.from('{}')), { policy: loopbackOnly });
    expect(answer).toMatchObject({ status: null, refused: false, error, durationMs: 0 });
    expect(probe.spy).not.toHaveBeenCalled();
  });
});
