import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/main/profile/signature';
import { startApp, valuesOf, type TestApp } from '../helpers/app-server';
import { runCliToEnd } from '../helpers/cli';
import { post } from '../helpers/http';
import { readyOf, useRelayRuns } from '../helpers/relay-runs';
import { storedRows } from '../helpers/stored-rows';

const SECRET = 'whsec_team_relay';
const runs = useRelayRuns();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

const envelope = (id: string, data = '{}') => Buffer.from(`{"id":"${id}","type":"review.analysed","created_at":"2026-04-24T14:30:00Z","api_version":"v1","data":${data}}`);
const signed = (body: Buffer, secret = SECRET) => ({ 'content-type': 'application/json', 'x-reviewsense-signature': sign(secret, body) });
const deliveryLines = (lines: Record<string, unknown>[]) => lines.filter((line) => line.event === 'delivery');

interface Row {
  id: number;
  event_id: string | null;
  body: Buffer | null;
  headers: string;
  raw_headers: string | null;
  signature_status: string;
  duplicate_of: number | null;
  response_status: number;
  receiver_origin: string | null;
}

async function team() {
  const relayDir = runs.dataDir();
  const token = await runs.token(relayDir, 'alice');
  const relay = runs.relay(relayDir);
  const ready = await readyOf(relay);
  return { relayDir, token, relay, ...ready, base: new URL(ready.receiverUrl).origin };
}

describe('hooklens serve --relay', () => {
  it('stores each relayed delivery as received, verified with its own secrets, duplicates linked, shown live and forwarded', async () => {
    const { token, base, receiverUrl } = await team();
    const app: TestApp = await startApp();
    closers.push(() => app.close());
    const dir = runs.dataDir();
    const sub = runs.subscriber(dir, base, token, ['--secret', SECRET, '--forward-to', app.url('/hooks')]);
    await readyOf(sub);
    await sub.waitFor((line) => line.event === 'relay' && line.status === 'connected');

    const a = envelope('evt_A', '{"note":"Zoë"}');
    const forged = envelope('evt_B');
    const odd = Buffer.from([0x48, 0xe9]).toString('latin1');
    expect((await post(receiverUrl, a, { ...signed(a), 'x-odd': odd })).status).toBe(200);
    expect((await post(receiverUrl, a, signed(a))).status).toBe(200);
    expect((await post(receiverUrl, forged, signed(forged, 'whsec_someone_else'))).status).toBe(200);

    await expect.poll(() => deliveryLines(sub.lines).length).toBe(3);
    expect(deliveryLines(sub.lines).map((line) => [line.eventId, line.signature, line.duplicateOf, line.status])).toEqual([
      ['evt_A', 'valid', null, 200],
      ['evt_A', 'valid', 1, 200],
      ['evt_B', 'invalid', null, 200],
    ]);
    const rows = storedRows<Row>(dir);
    expect(rows.map((row) => row.body)).toEqual([a, a, forged]);
    const first = JSON.parse(rows[0]?.raw_headers ?? '[]') as [string, string][];
    expect(valuesOf(first, 'x-odd')).toEqual([odd]);
    expect(rows.every((row) => row.receiver_origin === base)).toBe(true);

    // Forwarded like any other capture: the exact bytes, the original signature.
    await expect.poll(() => app.received.length).toBe(3);
    expect(app.received.map((request) => request.body)).toEqual([a, a, forged]);
    expect(valuesOf(app.received[0]?.headers ?? [], 'x-reviewsense-signature')).toEqual([sign(SECRET, a)]);
    expect(valuesOf(app.received[0]?.headers ?? [], 'x-odd')).toEqual([odd]);
  });

  it('catches up, in order and each once, on what arrived while it was stopped', async () => {
    const { token, base, receiverUrl } = await team();
    const dir = runs.dataDir();
    const first = runs.subscriber(dir, base, token, ['--secret', SECRET]);
    await first.waitFor((line) => line.event === 'relay' && line.status === 'connected');
    expect((await post(receiverUrl, envelope('evt_0'), signed(envelope('evt_0')))).status).toBe(200);
    await first.waitFor((line) => line.event === 'delivery');
    first.proc.kill('SIGTERM');
    expect((await first.exited).code).toBe(0);

    const ids = Array.from({ length: 25 }, (_, i) => `evt_offline_${i}`);
    for (const id of ids) expect((await post(receiverUrl, envelope(id), signed(envelope(id)))).status).toBe(200);
    const again = runs.subscriber(dir, base, token, ['--secret', SECRET]);
    await again.waitFor((line) => line.event === 'relay' && line.status === 'connected');
    await expect.poll(() => deliveryLines(again.lines).length).toBe(25);
    expect(deliveryLines(again.lines).map((line) => line.eventId)).toEqual(ids);
    expect((await post(receiverUrl, envelope('evt_live'), signed(envelope('evt_live')))).status).toBe(200);
    await expect.poll(() => deliveryLines(again.lines).length).toBe(26);
    expect(storedRows<Row>(dir).map((row) => row.event_id)).toEqual(['evt_0', ...ids, 'evt_live']);
  });

  it('says a refused token once, does not try it again, and keeps its own receiver running', async () => {
    let asked = 0;
    const fake = createServer((request, response) => {
      asked++;
      response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"wrong_token","message":"This token is not one of the relay\'s."}');
    });
    await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
    closers.push(() => new Promise((resolve) => fake.close(() => resolve())));
    const sub = runs.subscriber(runs.dataDir(), `http://127.0.0.1:${(fake.address() as AddressInfo).port}`, 'hlr_wrong');
    const { receiverUrl } = await readyOf(sub);
    const refused = await sub.waitFor((line) => line.event === 'relay');
    expect(refused).toMatchObject({ status: 'refused', message: "This token is not one of the relay's." });
    await expect.poll(sub.stderr).toMatch(/refused this token: This token is not one of the relay's\. Not retrying until Hooklens is restarted/);
    // Longer than the first two reconnect waits: a retry would have come by now.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(asked).toBe(1);
    expect(sub.lines.filter((line) => line.event === 'relay')).toHaveLength(1);
    expect((await post(receiverUrl, envelope('evt_local'), {})).status).toBe(200);
    await sub.waitFor((line) => line.event === 'delivery' && line.eventId === 'evt_local');
  });

  it('is refused once its token is revoked while connected', async () => {
    const { relayDir, token, base } = await team();
    const sub = runs.subscriber(runs.dataDir(), base, token);
    await sub.waitFor((line) => line.event === 'relay' && line.status === 'connected');
    expect((await runCliToEnd(['relay', 'token', 'revoke', 'alice', '--data-dir', relayDir])).code).toBe(0);
    expect(await sub.waitFor((line) => line.event === 'relay' && line.status === 'refused')).toMatchObject({ message: 'The token "alice" was revoked on this relay.' });
  });

  it('reconnects when the relay comes back, and misses nothing acknowledged meanwhile', async () => {
    const relayDir = runs.dataDir();
    const token = await runs.token(relayDir, 'bob');
    const first = runs.relay(relayDir);
    const { receiverUrl } = await readyOf(first);
    const port = new URL(receiverUrl).port;
    const dir = runs.dataDir();
    const sub = runs.subscriber(dir, `http://127.0.0.1:${port}`, token);
    await sub.waitFor((line) => line.event === 'relay' && line.status === 'connected');
    first.proc.kill('SIGTERM');
    await first.exited;
    const down = await sub.waitFor((line) => line.event === 'relay' && line.status === 'reconnecting');
    expect(down.message).toMatch(/Trying again in \d+ s\.$/);

    const second = runs.relay(relayDir, ['--port', port]);
    await readyOf(second);
    expect((await post(receiverUrl, envelope('evt_back'))).status).toBe(200);
    await sub.waitFor((line) => line.event === 'delivery' && line.eventId === 'evt_back', 40_000);
    expect(sub.lines.filter((line) => line.event === 'relay').map((line) => line.status)).toEqual(expect.arrayContaining(['connected', 'reconnecting', 'connected']));
  });

  it('reads its token from --relay-token-file (the line end trimmed), and takes the relay\'s streamUrl as well as its address', async () => {
    const { token, streamUrl } = await team();
    const dir = runs.dataDir();
    const file = join(dir, 'relay-token');
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    const sub = runs.subscriber(dir, streamUrl, '', ['--relay-token-file', file]);
    expect(await sub.waitFor((line) => line.event === 'relay')).toMatchObject({ status: 'connected', url: streamUrl });
  });

  it('exits 2 for a relay without a token, a token without a relay, or --mirror with a relay', async () => {
    for (const args of [
      ['--relay', 'https://relay.example.com'],
      ['--relay-token', 'hlr_x'],
      ['--relay', 'ftp://relay.example.com', '--relay-token', 'hlr_x'],
      ['--relay', 'https://relay.example.com', '--relay-token', 'hlr_x', '--forward-to', 'http://127.0.0.1:3000/', '--mirror'],
    ]) {
      const { code, stderr } = await runCliToEnd(['serve', '--no-ui', '--port', '0', '--data-dir', runs.dataDir(), ...args]);
      expect([args.join(' '), code, stderr.trim().split('\n')]).toEqual([args.join(' '), 2, [expect.stringMatching(/^hooklens: .*(relay|mirror)/i)]]);
    }
  });
});
