import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../../src/main/profile/samples';
import { sign } from '../../src/main/profile/signature';
import { createFileKeyCipher } from '../../src/main/secrets/file-key-cipher';
import { createSecretRing } from '../../src/main/secrets/secret-ring';
import { openStore } from '../../src/main/store/store';
import { runCli, runCliToEnd } from '../helpers/cli';
import { post } from '../helpers/http';
import { useServeRuns } from '../helpers/serve-runs';

const SECRET = 'whsec_cli_secret';
const { dataDir, serve } = useServeRuns();


const readyLine = (line: Record<string, unknown>) => line.event === 'ready';

describe('hooklens serve', () => {
  it('prints the ready line, a delivery line per delivery, and a readable line on stderr', async () => {
    const dir = dataDir();
    const run = serve(['--secret', SECRET, '--data-dir', dir]);
    const ready = await run.waitFor(readyLine);
    expect(ready).toEqual({ event: 'ready', receiverUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/reviewsense$/), uiUrl: null, db: join(dir, 'hooklens.db') });

    const event = sampleEvent('review.analysed');
    const body = JSON.stringify(event);
    const response = await post(ready.receiverUrl as string, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, body) });
    expect(response.status).toBe(200);
    const delivery = await run.waitFor((line) => line.event === 'delivery');
    expect(delivery).toEqual({ event: 'delivery', id: 1, eventId: event.id, type: 'review.analysed', signature: 'valid', duplicateOf: null, status: 200 });
    // stderr is a separate pipe: its line may arrive after the stdout one.
    await expect.poll(run.stderr).toMatch(new RegExp(`\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  #1  review\\.analysed  ${event.id}  ✓ valid  → 200`));

    const db = new Database(ready.db as string, { readonly: true });
    const row = db.prepare('select body, signature_status from deliveries where id = 1').get() as { body: Buffer; signature_status: string };
    db.close();
    expect(row.body.toString()).toBe(body);
    expect(row.signature_status).toBe('valid');
  });

  it('takes secrets from HOOKLENS_SECRET (comma-separated) and the data dir from HOOKLENS_DATA_DIR', async () => {
    const dir = dataDir();
    const run = serve([], { HOOKLENS_SECRET: `whsec_first,${SECRET}`, HOOKLENS_DATA_DIR: dir });
    const ready = await run.waitFor(readyLine);
    expect(ready.db).toBe(join(dir, 'hooklens.db'));
    const body = JSON.stringify(sampleEvent('webhook.test'));
    await post(ready.receiverUrl as string, body, { 'x-reviewsense-signature': sign(SECRET, body) });
    expect(await run.waitFor((line) => line.event === 'delivery')).toMatchObject({ signature: 'valid' });
  });

  it('honours --host, --path and repeated --secret', async () => {
    const run = serve(['--host', '127.0.0.1', '--path', '/rs/', '--secret', 'whsec_a', '--secret', SECRET, '--data-dir', dataDir()]);
    const ready = await run.waitFor(readyLine);
    expect(ready.receiverUrl).toMatch(/\/rs$/);
    const body = JSON.stringify(sampleEvent('quota.warning'));
    await post(ready.receiverUrl as string, body, { 'x-reviewsense-signature': sign(SECRET, body) });
    expect(await run.waitFor((line) => line.event === 'delivery')).toMatchObject({ type: 'quota.warning', signature: 'valid' });
  });

  it('finishes in-flight deliveries on SIGINT, then exits 0', async () => {
    const run = serve(['--secret', SECRET, '--data-dir', dataDir(), '--delay', '700']);
    const ready = await run.waitFor(readyLine);
    const body = JSON.stringify(sampleEvent('review.flagged'));
    const inFlight = post(ready.receiverUrl as string, body, { 'x-reviewsense-signature': sign(SECRET, body) });
    await run.waitFor((line) => line.event === 'delivery');
    run.proc.kill('SIGINT');
    expect((await inFlight).status).toBe(200);
    expect(await run.exited).toEqual({ code: 0, signal: null });
  });

  it('says in one line that the port is in use, and exits 1', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const { code, stderr } = await runCliToEnd(['serve', '--no-ui', '--port', String(port), '--data-dir', dataDir()]);
    blocker.close();
    expect(code).toBe(1);
    expect(stderr.trim().split('\n').filter((line) => line.includes(String(port)))).toEqual([
      `hooklens: Port ${port} on 127.0.0.1 is already in use (another Hooklens?). Choose another with --port, or --port 0 for a free one.`,
    ]);
  });

  it('says in one line that the data dir is unusable, and exits 1', async () => {
    const file = join(dataDir(), 'not-a-folder');
    writeFileSync(file, 'x');
    const { code, stderr } = await runCliToEnd(['serve', '--no-ui', '--port', '0', '--data-dir', join(file, 'sub')]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`hooklens: Cannot use data dir ${join(file, 'sub')}: it is not a writable folder (ENOTDIR). Choose another with --data-dir.`);
  });

  it.each([
    [['serve', '--port', 'abc'], /--port must be a whole number/],
    [['serve', '--port', '70000'], /--port must be from 0 to 65535/],
    [['serve', '--bogus'], /Unknown option '--bogus'/],
    [['serve', '--path', 'no-slash'], /--path must be a path starting with "\/"/],
    [['serve', '--path', '/hooks/*'], /--path must be a path starting with "\/" of letters, digits .* got "\/hooks\/\*"/],
    [['serve', '--path', '/hooks/(x)'], /--path must be a path/],
    [['serve', '--path', '/hooks/:id'], /--path must be a path/],
    [['serve', '--ui', '--no-ui'], /either --ui or --no-ui/],
    [['serve', '--status', '100'], /--status must be from 200 to 599/],
    [['frobnicate'], /Unknown command "frobnicate"/],
  ])('exits 2 with a one-line reason for bad usage: %j', async (args, reason) => {
    const { code, stderr } = await runCliToEnd(args as string[]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(reason);
  });

  it('prints help and exits 0', async () => {
    const run = runCli(['serve', '--help']);
    const { code } = await run.exited;
    expect(code).toBe(0);
  });
});

/** A loopback port nothing listens on (taken, then given back). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('hooklens serve counts in words', () => {
  it('says "1 delivery waiting in the forward queue" at start', async () => {
    const dir = dataDir();
    const target = `http://127.0.0.1:${await closedPort()}/webhooks`;
    const first = serve(['--secret', SECRET, '--data-dir', dir, '--forward-to', target]);
    const ready = await first.waitFor(readyLine);
    const body = JSON.stringify(sampleEvent('review.analysed'));
    expect((await post(ready.receiverUrl as string, body, { 'x-reviewsense-signature': sign(SECRET, body) })).status).toBe(200);
    // The app is down: the forward waits in the queue, also across a restart.
    await first.waitFor((line) => line.event === 'attempt' && line.queued === true);
    first.proc.kill('SIGTERM');
    await first.exited;

    const second = serve(['--secret', SECRET, '--data-dir', dir, '--forward-to', target]);
    await second.waitFor(readyLine);
    await expect.poll(second.stderr).toMatch(/hooklens: forwarding to \S+; 1 delivery waiting in the forward queue\n/);
  });

  it('says "verifying against 1 secret, saved in the UI" when the one secret is a saved one', async () => {
    const dir = dataDir();
    const store = openStore(dir);
    createSecretRing({ repository: store.secrets, cipher: createFileKeyCipher(dir), runtime: [], clock: Date.now, onChange: () => undefined }).add('current', SECRET);
    store.close();
    const run = serve(['--data-dir', dir]);
    await run.waitFor(readyLine);
    await expect.poll(run.stderr).toMatch(/hooklens: verifying against 1 secret, saved in the UI\.\n/);
  });
});

describe('hooklens serve under kill -9', () => {
  it('has every acknowledged event id on disk and a sound database', async () => {
    const dir = dataDir();
    const run = serve(['--secret', SECRET, '--data-dir', dir]);
    const ready = await run.waitFor(readyLine);
    const url = ready.receiverUrl as string;
    const acked = new Set<string>();
    let stop = false;
    const worker = async () => {
      while (!stop) {
        const event = sampleEvent('review.analysed');
        const body = JSON.stringify(event);
        try {
          const response = await post(url, body, { 'x-reviewsense-signature': sign(SECRET, body) });
          if (response.status >= 200 && response.status < 300) acked.add(event.id);
        } catch {
          // The process died under this request: it was never acknowledged.
        }
      }
    };
    const workers = Array.from({ length: 16 }, worker);
    try {
      // Killed mid-load, once enough deliveries were acknowledged for the check below to mean something.
      await expect.poll(() => acked.size, { timeout: 20_000, interval: 20 }).toBeGreaterThan(100);
    } finally {
      run.proc.kill('SIGKILL');
      stop = true;
    }
    await Promise.all(workers);
    await run.exited;
    expect(acked.size).toBeGreaterThan(100);

    const db = new Database(join(dir, 'hooklens.db'));
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    const stored = new Set((db.prepare('select event_id from deliveries').all() as { event_id: string }[]).map((row) => row.event_id));
    db.close();
    const missing = [...acked].filter((id) => !stored.has(id));
    expect(missing).toEqual([]);
  });
});

describe('hooklens serve with a reader that goes away', () => {
  it('keeps capturing when stdout is closed (serve --json | head -1)', async () => {
    const run = serve(['--secret', SECRET, '--data-dir', dataDir()]);
    const ready = await run.waitFor(readyLine);
    run.proc.stdout.destroy();
    for (let i = 0; i < 3; i++) {
      const body = JSON.stringify(sampleEvent('webhook.test'));
      const response = await post(ready.receiverUrl as string, body, { 'x-reviewsense-signature': sign(SECRET, body) });
      expect(response.status).toBe(200);
      // Its line went to the closed stdout first (same turn, queued earlier), then to stderr.
      await expect.poll(run.stderr).toMatch(new RegExp(`  #${i + 1}  webhook\\.test  `));
    }
    expect(run.proc.exitCode).toBeNull();
    const db = new Database(ready.db as string, { readonly: true });
    expect(db.prepare('select count(*) as n from deliveries').get()).toEqual({ n: 3 });
    db.close();
  });
});
