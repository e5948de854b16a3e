import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createControlServer } from '../../src/main/browser-shell/control-server';
import { serve } from '../../src/main/cli/serve';
import { sign } from '../../src/main/profile/signature';
import { NO_TOKEN } from '../../src/main/tunnel/ngrok-errors';
import { runCli, type ServeProcess } from '../helpers/cli';
import { fakeTunnelProvider } from '../helpers/fake-tunnel';
import { post } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';

const SECRET = 'whsec_cli_tunnel';
const dirs: ReturnType<typeof tempDir>[] = [];
const runs: ServeProcess[] = [];
const servers: Server[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const run of runs.splice(0)) {
    if (run.proc.exitCode === null && run.proc.signalCode === null) {
      run.proc.kill('SIGKILL');
      await run.exited;
    }
  }
  sockets.splice(0).forEach((socket) => socket.destroy());
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  dirs.splice(0).forEach((dir) => dir.cleanup());
});

function serveTunnel(args: string[], env: NodeJS.ProcessEnv = {}): ServeProcess {
  const dir = tempDir();
  dirs.push(dir);
  const run = runCli(['serve', '--json', '--port', '0', '--no-ui', '--secret', SECRET, '--data-dir', dir.path, '--tunnel', ...args], env);
  runs.push(run);
  return run;
}

async function deliver(url: string): Promise<number> {
  const body = '{"id":"evt_cli_tunnel","type":"webhook.test","created_at":"x","api_version":"v1","data":{}}';
  return (await post(url, body, { 'x-reviewsense-signature': sign(SECRET, body) })).status;
}

async function listen(onConnection?: (socket: Socket) => void): Promise<number> {
  const server = createServer((socket) => (sockets.push(socket), onConnection?.(socket)));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as { port: number }).port;
}

describe('hooklens serve --tunnel (real SDK, no internet)', () => {
  it('without NGROK_AUTHTOKEN: a tunnel error line saying where to get a token; capture goes on', async () => {
    const run = serveTunnel([]);
    const ready = await run.waitFor((line) => line.event === 'ready');
    expect(await run.waitFor((line) => line.event === 'tunnel')).toEqual({ event: 'tunnel', status: 'error', url: null, message: NO_TOKEN });
    expect(await deliver(ready.receiverUrl as string)).toBe(200);
    expect(await run.waitFor((line) => line.event === 'delivery')).toMatchObject({ signature: 'valid' });
    expect(run.stderr()).toContain('Capture on localhost goes on.');
  });

  it('when ngrok cannot be reached: an error line in time', async () => {
    // Port 1 (privileged, unused): a port freed by this test could be taken by a parallel one.
    const run = serveTunnel(['--ngrok-server-addr', '127.0.0.1:1'], { NGROK_AUTHTOKEN: 'tok_test' });
    const line = await run.waitFor((l) => l.event === 'tunnel', 5_000);
    expect(line).toMatchObject({ status: 'error', url: null, message: expect.stringMatching(/^Cannot reach the ngrok service/) });
  });

  it('stops promptly on SIGINT while the connect hangs', async () => {
    const port = await listen();
    const run = serveTunnel(['--ngrok-server-addr', `127.0.0.1:${port}`], { NGROK_AUTHTOKEN: 'tok_test' });
    const ready = await run.waitFor((line) => line.event === 'ready');
    await expect.poll(() => sockets.length).toBeGreaterThan(0);
    expect(await deliver(ready.receiverUrl as string)).toBe(200);
    const stopping = Date.now();
    run.proc.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopping).toBeLessThan(4_000);
  });
});

describe('hooklens serve --tunnel output (fake provider)', () => {
  it('prints online with the webhook URL, then closed on stop', async () => {
    const dir = tempDir();
    dirs.push(dir);
    const provider = fakeTunnelProvider();
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    let out = '';
    let err = '';
    stdout.on('data', (chunk) => (out += chunk));
    stderr.on('data', (chunk) => (err += chunk));
    let stop: (signal: string) => void = () => undefined;
    const done = serve(['--json', '--port', '0', '--no-ui', '--tunnel', '--data-dir', dir.path], {
      stdout,
      stderr,
      env: { NGROK_AUTHTOKEN: 'tok_fake' },
      stopRequested: new Promise((resolve) => (stop = resolve)),
      rendererDir: join(__dirname, '..', '..', 'out', 'renderer'),
      interactive: false,
      tunnelFactory: provider.factory,
      createUiServer: createControlServer,
    });
    const attempt = await provider.nextAttempt(0);
    expect(attempt.options.authtoken).toBe('tok_fake');
    attempt.online('https://fake-1.ngrok.app');
    await expect.poll(() => out).toContain('"status":"online"');
    attempt.report({ state: 'reconnecting', url: 'https://fake-1.ngrok.app', message: 'Connection to ngrok lost, reconnecting…' });
    stop('SIGINT');
    expect(await done).toBe(0);
    const lines = out.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines.filter((line) => line.event === 'tunnel')).toEqual([
      { event: 'tunnel', status: 'online', url: 'https://fake-1.ngrok.app/hooks/reviewsense', message: null },
      { event: 'tunnel', status: 'closed', url: null, message: null },
    ]);
    expect(err).toContain('fake: online. Webhook URL for Dashboard → ReviewSense → Webhooks: https://fake-1.ngrok.app/hooks/reviewsense');
    expect(err).toContain('fake: Connection to ngrok lost, reconnecting…');
  });
});
