import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../src/main/profile/signature';
import { openStore } from '../../src/main/store/store';
import { controlCallPath, CONTROL_EVENTS_PATH } from '../../src/shared/control-api';
import type { BackgroundProblemChange } from '../../src/shared/background';
import type { ExportProgress } from '../../src/shared/exchange';
import { BIN, runCli, runCliToEnd, type ServeProcess } from '../helpers/cli';
import { newDelivery } from '../helpers/deliveries';
import { post } from '../helpers/http';
import { nodeEventSource } from '../helpers/node-event-source';
import { tempDir } from '../helpers/temp-dir';

// Runs the built CLI (out/main/cli.js): build first with `npx electron-vite build`.
//
// Exports whose destination fails, for real: a 256 KiB tmpfs mounted on the data folder's
// exports/ (a full disk; Linux, as root or with passwordless sudo), /dev/full, and a pipe whose
// reader exits after one line (`| head -1`).

const SECRET = 'whsec_export_failures';
const asRoot = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
const canMount = process.platform === 'linux' && (asRoot.length === 0 || spawnSync('sudo', ['-n', 'true']).status === 0);

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A data folder holding `count` deliveries of about 2 KiB each (far more than 256 KiB exported). */
async function filledDataDir(count: number): Promise<string> {
  const dir = tempDir('hooklens-export-failures-');
  cleanups.push(dir.cleanup);
  const store = openStore(dir.path);
  const writes: Promise<unknown>[] = [];
  for (let index = 0; index < count; index++) {
    const body = Buffer.from(JSON.stringify({ id: `evt_fill_${index}`, type: 'review.analysed', data: { text: 'x'.repeat(2_000) } }));
    writes.push(store.writeDelivery(newDelivery({ eventId: `evt_fill_${index}`, body, bodySize: body.length })));
  }
  await Promise.all(writes);
  store.close();
  return dir.path;
}

/** Runs a command as root (directly, or through passwordless sudo); throws with its output when it fails. */
function runAsRoot(args: string[]): void {
  const [command, ...rest] = [...asRoot, ...args];
  const result = spawnSync(command as string, rest, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${[command, ...rest].join(' ')}: ${result.error?.message ?? result.stderr}`);
}

/** A full disk: a 256 KiB tmpfs on `path`, unmounted after the test. */
function mountFullDisk(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  runAsRoot(['mount', '-t', 'tmpfs', '-o', `size=256k,mode=0700,uid=${process.getuid?.()},gid=${process.getgid?.()}`, 'tmpfs', path]);
  cleanups.push(() => runAsRoot(['umount', '-l', path]));
}

/** Fills the file system under `folder` to the last byte (a write then fails at once). */
function fillUp(folder: string): void {
  const fd = openSync(join(folder, 'filler'), 'w');
  try {
    for (;;) writeSync(fd, Buffer.alloc(4096, 1));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
}

async function serveWithUi(dataDir: string): Promise<{ serve: ServeProcess; origin: string; token: string }> {
  const serve = runCli(['serve', '--json', '--port', '0', '--ui', '--ui-port', '0', '--data-dir', dataDir, '--secret', SECRET]);
  cleanups.push(async () => {
    if (serve.proc.exitCode === null && serve.proc.signalCode === null) {
      serve.proc.kill('SIGKILL');
      await serve.exited;
    }
  });
  const ready = await serve.waitFor((line) => line.event === 'ready');
  const ui = new URL(ready.uiUrl as string);
  return { serve, origin: ui.origin, token: ui.searchParams.get('token') as string };
}

describe.runIf(canMount)('an export in the app onto a full disk (hooklens serve --ui)', () => {
  it('fails with a sentence, removes the partial file, reports once (for two failed exports), and capture goes on', async () => {
    const dataDir = await filledDataDir(400);
    mountFullDisk(join(dataDir, 'exports'));
    const { serve, origin, token } = await serveWithUi(dataDir);
    const events = nodeEventSource(`${origin}${CONTROL_EVENTS_PATH}?token=${token}`);
    cleanups.push(() => events.close());
    const finished: ExportProgress[] = [];
    const problems: BackgroundProblemChange[] = [];
    events.addEventListener('export', (message) => {
      const progress = JSON.parse(message.data) as ExportProgress;
      if (progress.finished) finished.push(progress);
    });
    events.addEventListener('problem', (message) => problems.push(JSON.parse(message.data) as BackgroundProblemChange));
    await new Promise((resolve) => events.addEventListener('open', resolve));

    const startExport = async (ids: number[] | null = null) => {
      const response = await fetch(`${origin}${controlCallPath('startExport')}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ args: [ids ? { format: 'json', ids } : { format: 'json', filter: {} }] }),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { result: { exportId: string; file: string } }).result;
    };
    const until = async (done: () => boolean) => {
      while (!done()) {
        if (serve.proc.exitCode !== null) throw new Error(`serve exited (${serve.proc.exitCode}): ${serve.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    };

    const first = await startExport();
    await until(() => finished.length === 1);
    expect(finished[0]).toMatchObject({ exportId: first.exportId, finished: true, file: null });
    expect(finished[0]?.error).toMatch(/^Could not write hooklens-[\w-]+\.json: the disk is full \(ENOSPC\)\. The partial file was removed\.$/);
    expect(existsSync(first.file)).toBe(false);
    expect(readdirSync(join(dataDir, 'exports'))).toEqual([]);

    // A small export onto a disk with no byte left: its one write is taken into the stream's
    // buffer at once, and fails later, with no write waiting for it (no 'drain' to wait for).
    fillUp(join(dataDir, 'exports'));
    const second = await startExport([1, 2]);
    await until(() => finished.length === 2);
    expect(finished[1]).toMatchObject({ exportId: second.exportId, error: expect.stringContaining('the disk is full (ENOSPC)') });
    expect(readdirSync(join(dataDir, 'exports'))).toEqual(['filler']);

    // Capture goes on: a delivery POSTed after the failures is stored and acknowledged.
    const body = Buffer.from(JSON.stringify({ id: 'evt_after_export', type: 'review.analysed', created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data: {} }));
    const receiver = (await serve.waitFor((line) => line.event === 'ready')).receiverUrl as string;
    const answer = await post(receiver, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, body) });
    expect(answer.status).toBe(200);
    await serve.waitFor((line) => line.event === 'delivery' && line.eventId === 'evt_after_export');
    expect(serve.proc.exitCode).toBeNull();

    expect(problems.filter((change) => change.task === 'export' && change.problem !== null)).toHaveLength(1);
    expect(problems[0]?.problem?.message).toBe('the disk is full (ENOSPC)');
    const stderr = serve.stderr();
    expect(stderr.split('\n').filter((line) => line.includes('export failed'))).toEqual(['hooklens: export failed: the disk is full (ENOSPC)']);
    expect(stderr).not.toMatch(/Unhandled|^\s+at /m);
  }, 60_000);
});

describe('hooklens export when its output cannot be written', () => {
  it('--out /dev/full: one sentence naming the full disk, exit 1, no stack trace', async () => {
    const dataDir = await filledDataDir(5);
    const result = await runCliToEnd(['export', '--data-dir', dataDir, '--out', '/dev/full']);
    expect(result.stderr.trimEnd().split('\n')).toEqual(['hooklens: Could not write the export to /dev/full: the disk is full (ENOSPC).']);
    expect(result.code).toBe(1);
  });

  it.runIf(canMount)('--out onto a full disk: the partial file is removed', async () => {
    const dataDir = await filledDataDir(400);
    const full = join(dataDir, 'full');
    mountFullDisk(full);
    const out = join(full, 'capture.json');
    const result = await runCliToEnd(['export', '--data-dir', dataDir, '--out', out]);
    expect(result.stderr.trimEnd().split('\n')).toEqual([`hooklens: Could not write the export to ${out}: the disk is full (ENOSPC). The partial file was removed.`]);
    expect(result.code).toBe(1);
    expect(readdirSync(full)).toEqual([]);
  });

  it('| head -1: the reader exits, the export stops quietly (exit 141, as for SIGPIPE), no stack trace, no "exported" claim', async () => {
    // Far more than a pipe's 64 KiB buffer, so writes are still going on when head exits.
    const dataDir = await filledDataDir(600);
    const script = join(dataDir, 'pipe.sh');
    writeFileSync(script, '"$@" | head -1\necho "hooklens exit: ${PIPESTATUS[0]}" >&2\n');
    const child = spawn('bash', [script, process.execPath, BIN, 'export', '--data-dir', dataDir, '--format', 'ndjson'], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, HOOKLENS_COMPILE_CACHE: process.env.HOOKLENS_COMPILE_CACHE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(JSON.parse(stdout)).toMatchObject({ eventId: 'evt_fill_0' });
    expect(stderr).toBe('hooklens exit: 141\n');
  });
});
