/**
 * Starts the packaged desktop app that `npm run dist` left unpacked in dist/ (the same files the
 * AppImage, .deb, .dmg and installer hold) and sends it a webhook: a 200 means the packaged app
 * started with its fuses flipped, loaded app.asar, and opened its database with the better-sqlite3
 * electron-builder rebuilt (the receiver answers only after the row is committed).
 *
 *   node --import tsx scripts/ci/package-smoke.ts            # Linux: under xvfb-run -a
 *
 * CI runs it on version tags after `npm run dist`. It cannot run without the real Electron.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { sampleEvent } from '../../src/main/profile/samples';
import { openStore } from '../../src/main/store/store';
import { tempDir } from '../../test/helpers/temp-dir';
import { LINUX_EXECUTABLE } from '../packaging/electron-builder.config';

const ROOT = join(__dirname, '..', '..');

/** The executable inside dist/'s unpacked app folder for this system, or null when there is none. */
export function unpackedApp(dist: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): string | null {
  const candidates =
    platform === 'linux'
      ? [join(dist, 'linux-unpacked', LINUX_EXECUTABLE), join(dist, `linux-${arch}-unpacked`, LINUX_EXECUTABLE)]
      : platform === 'win32'
        ? [join(dist, 'win-unpacked', 'Hooklens.exe'), join(dist, `win-${arch}-unpacked`, 'Hooklens.exe')]
        : platform === 'darwin'
          ? [join(dist, `mac-${arch}`, 'Hooklens.app', 'Contents', 'MacOS', 'Hooklens'), join(dist, 'mac', 'Hooklens.app', 'Contents', 'MacOS', 'Hooklens')]
          : [];
  return candidates.find((file) => existsSync(file)) ?? null;
}

/** A port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface SmokeOptions {
  command: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  receiverUrl: string;
  timeoutMs?: number;
}

/** Starts the app, POSTs an event until it is answered, and stops the app. Resolves with the status. */
export async function startAndDeliver({ command, args = [], env, receiverUrl, timeoutMs = 90_000 }: SmokeOptions): Promise<number> {
  const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited: string | null = null;
  const gone = new Promise<void>((resolve) => child.on('exit', (code, signal) => ((exited = `exited (code ${code}, signal ${signal})`), resolve())));
  child.on('error', (error) => (exited = `could not start: ${error.message}`));
  const body = JSON.stringify(sampleEvent('webhook.test'));
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (exited) throw new Error(`The app ${exited} before answering.\n${output}`);
      if (Date.now() > deadline) throw new Error(`The app did not answer at ${receiverUrl} within ${timeoutMs / 1000} s.\n${output}`);
      try {
        const response = await fetch(receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(5_000) });
        return response.status;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
  } finally {
    if (!exited) {
      child.kill();
      const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(killer);
    }
  }
}

async function main(): Promise<void> {
  const app = unpackedApp(join(ROOT, 'dist'));
  if (!app) throw new Error('No unpacked app in dist/ for this system: run `npm run dist` first.');
  const data = tempDir('hooklens-package-smoke-');
  try {
    const port = await freePort();
    // The receiver address the app will use, saved as the Settings page would.
    const store = openStore(data.path);
    store.settings.put('receiver', { port, path: '/hooks/reviewsense' });
    store.close();
    const env: NodeJS.ProcessEnv = { ...process.env, HOOKLENS_DATA_DIR: data.path };
    // Set by some tools; ignored by the packaged app (RunAsNode fuse off), dropped all the same.
    delete env.ELECTRON_RUN_AS_NODE;
    console.log(`package-smoke: starting ${app}`);
    const status = await startAndDeliver({ command: app, env, receiverUrl: `http://127.0.0.1:${port}/hooks/reviewsense` });
    if (status !== 200) throw new Error(`The packaged app answered ${status}, expected 200.`);
    console.log('package-smoke: the packaged app started, received a webhook, stored it and answered 200.');
  } finally {
    // Windows may hold the database files a moment after the app exits: a leftover temp folder is fine.
    try {
      data.cleanup();
    } catch {}
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(`package-smoke: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  });
}
