import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createNgrokTunnel } from '../../src/main/tunnel/ngrok-tunnel';
import { NO_TOKEN } from '../../src/main/tunnel/ngrok-errors';
import { sign } from '../../src/main/profile/signature';
import { DATABASE_FILE } from '../../src/main/store/store';
import type { TunnelStatus } from '../../src/shared/tunnel-status';
import { fakeTunnelProvider } from '../helpers/fake-tunnel';
import { post } from '../helpers/http';
import { startInspector, type RunningInspector } from '../helpers/inspector';

// The real @ngrok/ngrok SDK, pointed only at loopback: a closed port (refused) or a local server
// that accepts and never answers (a hung connect). Nothing here leaves the machine.

let running: RunningInspector | undefined;
const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  await running?.stop();
  running = undefined;
  sockets.splice(0).forEach((socket) => socket.destroy());
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/**
 * A loopback port nothing listens on. Port 1 (tcpmux) is never used by a test here; a port freed
 * by an OS pick could be taken by a parallel test's server before ngrok connects to it.
 */
function closedPort(): number {
  return 1;
}

async function silentServer(): Promise<number> {
  const server = createServer((socket) => sockets.push(socket));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

async function expectCapturing(r: RunningInspector) {
  const body = '{"id":"evt_during_tunnel","type":"webhook.test","created_at":"x","api_version":"v1","data":{}}';
  expect((await post(r.url, body, { 'x-reviewsense-signature': sign('whsec_test_current', body) })).status).toBe(200);
  expect(r.inspector.listDeliveries()[0]).toMatchObject({ eventId: 'evt_during_tunnel', signatureStatus: 'valid' });
}

function tunnelStates(r: RunningInspector): TunnelStatus[] {
  const states: TunnelStatus[] = [];
  r.inspector.on('tunnel', (status) => states.push(status));
  return states;
}

describe('ngrok tunnel (real SDK, no internet)', () => {
  it('without a token: says where to get one, at once, and capture goes on', async () => {
    running = await startInspector({ tunnel: {} }, { tunnelFactory: createNgrokTunnel });
    const started = Date.now();
    const status = await running.inspector.startTunnel();
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(status).toMatchObject({ state: 'error', message: NO_TOKEN, provider: 'ngrok', url: null });
    await expectCapturing(running);
  });

  it('when ngrok cannot be reached: a network sentence, in time, and capture goes on', async () => {
    const port = closedPort();
    running = await startInspector({ tunnel: { authtoken: 'tok_test', serverAddr: `127.0.0.1:${port}` } }, { tunnelFactory: createNgrokTunnel });
    const started = Date.now();
    const status = await running.inspector.startTunnel();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(status.state).toBe('error');
    expect(status.message).toMatch(/^Cannot reach the ngrok service: check your internet connection/);
    await expectCapturing(running);
  });

  it('a connect that hangs is bounded, stop during it is prompt, and a new attempt still works', async () => {
    const port = await silentServer();
    running = await startInspector({ tunnel: { authtoken: 'tok_test', serverAddr: `127.0.0.1:${port}`, connectTimeoutMs: 1_500 } }, { tunnelFactory: createNgrokTunnel });
    const states = tunnelStates(running);

    const hanging = running.inspector.startTunnel();
    await expect.poll(() => sockets.length).toBeGreaterThan(0);
    expect(running.inspector.tunnelStatus().state).toBe('connecting');
    await expectCapturing(running);
    const stopping = Date.now();
    await running.inspector.stopTunnel();
    expect(Date.now() - stopping).toBeLessThan(1_000);
    expect(running.inspector.tunnelStatus().state).toBe('off');
    await hanging;
    expect(running.inspector.tunnelStatus().state).toBe('off');

    const retry = Date.now();
    const timedOut = await running.inspector.startTunnel();
    expect(Date.now() - retry).toBeLessThan(3_000);
    expect(timedOut).toMatchObject({ state: 'error', message: expect.stringMatching(/^ngrok did not answer within 1\.5 s/) });
    expect(states.map((status) => status.state)).toEqual(['connecting', 'off', 'connecting', 'error']);
    await expectCapturing(running);
  });
});

describe('tunnel through the Inspector (fake provider)', () => {
  it('gives the webhook URL (public URL + path) and a notice when it changed since last time', async () => {
    const provider = fakeTunnelProvider();
    running = await startInspector({}, { tunnelFactory: provider.factory });
    const first = running.inspector.startTunnel();
    (await provider.nextAttempt(0)).online('https://one.ngrok.app');
    expect(await first).toMatchObject({ state: 'online', webhookUrl: 'https://one.ngrok.app/hooks/reviewsense', notice: null });
    expect(provider.attempts[0]?.target).toEqual({ host: '127.0.0.1', port: running.port });

    await running.inspector.stopTunnel();
    const second = running.inspector.startTunnel();
    (await provider.nextAttempt(1)).online('https://two.ngrok.app');
    expect(await second).toMatchObject({
      webhookUrl: 'https://two.ngrok.app/hooks/reviewsense',
      notice: expect.stringMatching(/^The webhook URL changed \(it was https:\/\/one\.ngrok\.app\/hooks\/reviewsense\)\. Update the endpoint/),
    });
    expect(running.inspector.getStatus().tunnel.notice).not.toBeNull();
    // A reconnect of the same session keeps the notice until the next fresh start.
    provider.attempts[1]?.report({ state: 'reconnecting', url: 'https://two.ngrok.app', message: 'lost' });
    provider.attempts[1]?.report({ state: 'online', url: 'https://two.ngrok.app', message: null });
    expect(running.inspector.tunnelStatus().notice).toMatch(/^The webhook URL changed/);
  });

  it('uses a token saved in Settings (sealed), and never returns it', async () => {
    const provider = fakeTunnelProvider();
    running = await startInspector({}, { tunnelFactory: provider.factory });
    expect(running.inspector.getTunnelSettings()).toEqual({ tokenSource: null, domain: null });
    expect(running.inspector.setTunnelSettings({ authtoken: 'tok_saved', domain: 'my-app.ngrok.app' })).toEqual({ tokenSource: 'saved', domain: 'my-app.ngrok.app' });
    const raw = JSON.stringify(readSetting(running, 'tunnel'));
    expect(raw).not.toContain('tok_saved');
    void running.inspector.startTunnel();
    expect((await provider.nextAttempt(0)).options).toMatchObject({ authtoken: 'tok_saved', domain: 'my-app.ngrok.app' });
    running.inspector.setTunnelSettings({ authtoken: null });
    expect(running.inspector.getTunnelSettings().tokenSource).toBeNull();
    // A token sealed by the other shell (the desktop keychain) is reported, not pretended usable.
    writeSetting(running, 'tunnel', { sealedToken: Buffer.from('x').toString('base64'), scheme: 'electron-safe-storage' });
    expect(running.inspector.getTunnelSettings().tokenSource).toBe('unreadable');
  });
});

/** The settings row as another process sees it in the database file. */
function readSetting(r: RunningInspector, key: string): unknown {
  const db = new Database(join(r.dataDir, DATABASE_FILE), { readonly: true });
  try {
    const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
    return row ? JSON.parse(row.value) : undefined;
  } finally {
    db.close();
  }
}

function writeSetting(r: RunningInspector, key: string, value: unknown): void {
  const db = new Database(join(r.dataDir, DATABASE_FILE));
  try {
    db.prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, JSON.stringify(value));
  } finally {
    db.close();
  }
}
