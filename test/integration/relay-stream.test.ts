import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDelivery, decodeGap, decodeHello } from '../../src/main/relay/protocol';
import { sign } from '../../src/main/profile/signature';
import { runCliToEnd } from '../helpers/cli';
import { post, rawExchange, statusOf } from '../helpers/http';
import { readyOf, useRelayRuns } from '../helpers/relay-runs';
import { deliveryIds, openStream } from '../helpers/relay-stream';

const SECRET = 'whsec_relay_stream';
const runs = useRelayRuns();
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const envelope = (id: string, extra = '') => Buffer.from(`{"id":"${id}","type":"webhook.test","created_at":"2026-04-24T14:30:00Z","api_version":"v1","data":{${extra}}}`);

async function relayWithToken(args: string[] = []) {
  const dir = runs.dataDir();
  const token = await runs.token(dir, 'alice');
  const run = runs.relay(dir, args);
  return { dir, token, run, ...(await readyOf(run)) };
}

describe('hooklens relay: who may read the stream', () => {
  it('answers no token, a wrong token and a revoked one 401 with a sentence, and streams nothing', async () => {
    const { dir, token, streamUrl } = await relayWithToken();
    const none = await openStream(streamUrl);
    expect([none.status, none.headers['www-authenticate'], JSON.parse(none.body).error]).toEqual([401, 'Bearer realm="hooklens-relay"', 'no_token']);
    const wrong = await openStream(streamUrl, bearer(`${token}x`));
    expect([wrong.status, JSON.parse(wrong.body).error]).toEqual([401, 'wrong_token']);
    expect((await runCliToEnd(['relay', 'token', 'revoke', 'alice', '--data-dir', dir])).code).toBe(0);
    const revoked = await openStream(streamUrl, bearer(token));
    expect(revoked.status).toBe(401);
    expect(JSON.parse(revoked.body)).toMatchObject({ error: 'token_revoked', message: expect.stringContaining('"alice" was revoked') });
  });

  it('refuses a bad Last-Event-ID (400), huge headers (431), another method (405) and a body (400)', async () => {
    const { token, streamUrl, receiverUrl } = await relayWithToken();
    for (const bad of ['x', '-1', '1.5', '99999999999999999999', '3, 4']) {
      const answer = await openStream(streamUrl, { ...bearer(token), 'last-event-id': bad });
      expect([bad, answer.status, JSON.parse(answer.body).error]).toEqual([bad, 400, 'bad_last_event_id']);
    }
    const port = Number(new URL(streamUrl).port);
    const huge = await rawExchange(port, [`GET /relay/v1/stream HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`], 5_000);
    expect(statusOf(huge.response)).toBe(431);
    const posted = await post(streamUrl, '{}', bearer(token));
    expect([posted.status, posted.headers.allow]).toEqual([405, 'GET']);
    const withBody = await post(streamUrl, '{}', bearer(token), 'GET');
    expect(withBody.status).toBe(400);
    // Capture is untouched by all that.
    expect((await post(receiverUrl, envelope('evt_after_bad_input'))).status).toBe(200);
  });

  it('refuses a client with too many wrong tokens 429 (even its right one), and no one else', async () => {
    const { token, streamUrl } = await relayWithToken();
    const from = (address: string) => ({ 'x-forwarded-for': address });
    for (let i = 0; i < 10; i++) expect((await openStream(streamUrl, { ...bearer(`hlr_guess_${i}`), ...from('203.0.113.66') })).status).toBe(401);
    const limited = await openStream(streamUrl, { ...bearer(token), ...from('203.0.113.66') });
    expect([limited.status, Number(limited.headers['retry-after']) > 0]).toEqual([429, true]);
    const other = await openStream(streamUrl, { ...bearer(token), ...from('198.51.100.7') });
    expect(other.status).toBe(200);
    other.close();
  });

  it('cuts the open stream of a token revoked while it reads, telling it why', async () => {
    const { dir, token, streamUrl } = await relayWithToken();
    const stream = await openStream(streamUrl, bearer(token));
    await stream.waitFor((events) => events.some((event) => event.event === 'hello'));
    expect((await runCliToEnd(['relay', 'token', 'revoke', 'alice', '--data-dir', dir])).code).toBe(0);
    await stream.waitFor((events) => events.some((event) => event.event === 'revoked') && stream.ended());
    expect(JSON.parse(stream.events.find((event) => event.event === 'revoked')?.data ?? '{}').message).toMatch(/"alice" was revoked/);
  });
});

describe("the README's relay protocol, as written", () => {
  it('subscribes with its curl -N line', async () => {
    const { token, streamUrl, receiverUrl } = await relayWithToken();
    expect((await post(receiverUrl, envelope('evt_for_curl'))).status).toBe(200);
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const line = readme.split('\n').find((text) => text.startsWith('curl -N ') && text.includes('/relay/v1/stream'));
    expect(line).toBeDefined();
    const command = (line as string).replace('https://relay.example.com', new URL(streamUrl).origin);
    // curl -N streams until stopped: `timeout` ends it once the events are out.
    const out = await new Promise<string>((resolve) =>
      execFile('timeout', ['3', 'bash', '-c', command], { env: { PATH: process.env.PATH, HOOKLENS_RELAY_TOKEN: token } }, (_error, stdout) => resolve(stdout)),
    );
    expect(out).toMatch(/^retry: 2000\nevent: hello\ndata: \{"relay":"[0-9a-f]{32}","head":1,"oldest":1,"after":0,"heartbeatMs":15000\}\n\nevent: delivery\nid: 1\ndata: \{"id":1,/);
    expect(decodeDelivery(/^data: (\{"id":1.*)$/m.exec(out)?.[1] ?? '').bodyBase64).toBe(envelope('evt_for_curl').toString('base64'));
  });
});

describe('hooklens relay: the stream', () => {
  it('streams each stored delivery oldest first, byte-exact, resuming after Last-Event-ID', async () => {
    const { token, streamUrl, receiverUrl, run } = await relayWithToken(['--secret', SECRET]);
    const bodies = [envelope('evt_1'), Buffer.from([0x00, 0xff, 0x7b, 0x0a]), envelope('evt_3', '"text":"Zoë"')];
    await post(receiverUrl, bodies[0] as Buffer, { 'x-reviewsense-signature': sign(SECRET, bodies[0] as Buffer), 'content-type': 'application/json' });

    // Without Last-Event-ID: from the next delivery on (hello says where it starts).
    const live = await openStream(streamUrl, bearer(token));
    await live.waitFor((events) => events.length === 1);
    expect(decodeHello(live.events[0]?.data ?? '')).toMatchObject({ head: 1, oldest: 1, after: 1, heartbeatMs: 15_000 });
    await post(receiverUrl, bodies[1] as Buffer, { 'x-odd': Buffer.from([0x48, 0xe9]).toString('latin1') });
    await post(receiverUrl, bodies[2] as Buffer, { 'x-reviewsense-signature': 'f'.repeat(64) });
    await live.waitFor((events) => deliveryIds(events).length === 2);
    expect(deliveryIds(live.events)).toEqual([2, 3]);

    // From the start, then from after #2: the same events, oldest first.
    const all = await openStream(streamUrl, { ...bearer(token), 'last-event-id': '0' });
    await all.waitFor((events) => deliveryIds(events).length === 3);
    const delivered = all.events.filter((event) => event.event === 'delivery').map((event) => decodeDelivery(event.data));
    expect(delivered.map((d) => Buffer.from(d.bodyBase64 ?? '', 'base64'))).toEqual(bodies);
    expect(delivered.map((d) => d.signature)).toEqual(['valid', 'missing', 'invalid']);
    const odd = delivered[1]?.rawHeadersBase64?.find(([name]) => name === 'x-odd');
    expect(Buffer.from(odd?.[1] ?? '', 'base64')).toEqual(Buffer.from([0x48, 0xe9]));
    const resumed = await openStream(streamUrl, { ...bearer(token), 'last-event-id': '2' });
    await resumed.waitFor((events) => deliveryIds(events).length === 1);
    expect(deliveryIds(resumed.events)).toEqual([3]);
    for (const stream of [live, all, resumed]) stream.close();
    await expect.poll(() => run.lines.filter((line) => line.event === 'subscriber' && line.status === 'disconnected').length).toBe(3);
  });

  it('sends heartbeats while there is nothing to send', async () => {
    const { token, streamUrl } = await relayWithToken(['--heartbeat', '1']);
    const stream = await openStream(streamUrl, bearer(token));
    await stream.waitFor(() => stream.heartbeats() >= 2);
    expect(deliveryIds(stream.events)).toEqual([]);
    stream.close();
  });

  it('tells a subscriber behind the relay\'s retention how many it missed, then goes on', async () => {
    const dir = runs.dataDir();
    const token = await runs.token(dir, 'late');
    const first = runs.relay(dir, ['--keep', '3']);
    const { receiverUrl } = await readyOf(first);
    for (let i = 1; i <= 6; i++) expect((await post(receiverUrl, envelope(`evt_kept_${i}`))).status).toBe(200);
    first.proc.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);
    // Pruning runs at start: #1–#3 go.
    const again = runs.relay(dir, ['--keep', '3']);
    const { streamUrl } = await readyOf(again);
    await again.waitFor((line) => line.event === 'prune');
    const stream = await openStream(streamUrl, { ...bearer(token), 'last-event-id': '1' });
    await stream.waitFor((events) => deliveryIds(events).length === 3);
    expect(stream.events.map((event) => event.event)).toEqual(['hello', 'gap', 'delivery', 'delivery', 'delivery']);
    expect(decodeGap(stream.events[1]?.data ?? '')).toEqual({ after: 1, next: 4, missed: 2 });
    expect(deliveryIds(stream.events)).toEqual([4, 5, 6]);
    stream.close();
  });

  it('keeps streaming to a healthy subscriber and answering ReviewSense while another never reads, within bounded memory', { timeout: 90_000 }, async () => {
    const { token, streamUrl, receiverUrl, run } = await relayWithToken();
    const rss = () => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${run.proc.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024;
    const stalled = await openStream(streamUrl, bearer(token));
    // A socket that never reads again: everything past the kernel's buffers must wait at the relay.
    stalled.pauseReading();
    const healthy = await openStream(streamUrl, bearer(token));
    const filler = 'x'.repeat(256 * 1024);
    const count = 400;
    const send = async (from: number, to: number) => {
      for (let i = from; i < to; i++) expect((await post(receiverUrl, envelope(`evt_big_${i}`, `"filler":"${filler}"`))).status).toBe(200);
      await healthy.waitFor((events) => deliveryIds(events).length === to, 60_000);
    };
    // The first half brings the relay to its working size (heap, buffers, the stalled socket's share).
    await send(0, count / 2);
    const settled = rss();
    await send(count / 2, count);
    expect(deliveryIds(healthy.events)).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    // The second half is 200 × 256 KiB = 50 MiB more out (67 MiB as base64 per subscriber): held for
    // the stalled subscriber it would grow the relay by that much; streamed from the database, not.
    expect((rss() - settled) / 1024 / 1024).toBeLessThan(32);
    expect(deliveryIds(stalled.events).length).toBeLessThan(count);
    healthy.close();
    stalled.close();
  });
});
