import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { _electron, expect, test, type ElectronApplication } from '@playwright/test';
import { openStore } from '../../src/main/store/store';
import type { AppStatus } from '../../src/shared/api';
import { API_CALL_NAMES } from '../../src/shared/api-names';
import type { DeliverySummary } from '../../src/shared/delivery';
import { tempDir } from '../helpers/temp-dir';

// The desktop app itself, as built by `npm run build`. Runs wherever the Electron binary exists;
// elsewhere it is skipped with the reason (the browser shell specs cover the UI there).

const ROOT = resolve(__dirname, '..', '..');
const MAIN = join(ROOT, 'out', 'main', 'index.js');

/** Mirrors scripts/electron-native.mjs; never require('electron') here: that starts a download. */
function electronBinary(): string | null {
  const dir = join(ROOT, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(dir, 'dist'), readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

function whyElectronCannotRun(): string | null {
  if (!electronBinary()) {
    const cause = process.env.ELECTRON_SKIP_BINARY_DOWNLOAD
      ? 'ELECTRON_SKIP_BINARY_DOWNLOAD is set'
      : 'its download from GitHub was skipped or failed (no network?)';
    return `The Electron binary is not installed (node_modules/electron/dist is missing: ${cause}). Run \`node node_modules/electron/install.js\` with network access to run this test.`;
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return 'No display for the Electron window (DISPLAY and WAYLAND_DISPLAY are unset). Run the tests under `xvfb-run`.';
  }
  return null;
}

const skipReason = whyElectronCannotRun();
// Also on the console: list reporters show "skipped" without the reason.
if (skipReason) console.warn(`electron.spec.ts: skipped. ${skipReason}`);

test.describe('desktop app (Electron)', () => {
  test.skip(skipReason !== null, skipReason ?? '');

  let dataDir: ReturnType<typeof tempDir>;
  let app: ElectronApplication;

  test.beforeAll(() => {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first.`);
    // better-sqlite3 for Electron's ABI (downloaded or compiled once, then reused).
    test.setTimeout(10 * 60_000);
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'electron-native.mjs')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  });

  test.beforeEach(async () => {
    dataDir = tempDir('hooklens-electron-');
    // A free port, not the user's 8787: the app reads the receiver address from its settings.
    const store = openStore(dataDir.path);
    store.settings.put('receiver', { port: 0, path: '/hooks/reviewsense' });
    store.close();
    const env: NodeJS.ProcessEnv = { ...process.env, HOOKLENS_DATA_DIR: dataDir.path };
    // Set by some tools; Electron would then run out/main/index.js as plain Node.
    delete env.ELECTRON_RUN_AS_NODE;
    app = await _electron.launch({
      executablePath: electronBinary() as string,
      // Chromium refuses to run as root (containers, CI) with its sandbox on.
      args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), MAIN],
      env: env as Record<string, string>,
    });
  });

  test.afterEach(async () => {
    await app?.close();
    dataDir?.cleanup();
  });

  test('opens the Hooklens UI from app:// with a locked-down renderer and a working bridge', async () => {
    const window = await app.firstWindow();
    await expect(window).toHaveTitle('Hooklens');
    expect(window.url()).toBe('app://hooklens/index.html');
    await expect(window.getByRole('heading', { name: 'Hooklens' })).toBeVisible();

    const page = await window.evaluate(() => {
      const scope = globalThis as unknown as { hooklens: Record<string, unknown>; require?: unknown; process?: unknown };
      return { bridge: Object.keys(scope.hooklens).sort(), require: typeof scope.require, process: typeof scope.process };
    });
    // No Node in the page (nodeIntegration off, sandboxed, isolated): only the named bridge.
    expect(page).toEqual({ bridge: [...API_CALL_NAMES, 'on'].sort(), require: 'undefined', process: 'undefined' });

    const status = await window.evaluate(() => (globalThis as unknown as { hooklens: { getStatus(): Promise<AppStatus> } }).hooklens.getStatus());
    expect(status.receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/reviewsense$/);
    expect(status.dbFile).toBe(join(dataDir.path, 'hooklens.db'));
  });

  test('a delivery to the receiver is pushed to the window and shown', async () => {
    const window = await app.firstWindow();
    await expect(window.getByRole('heading', { name: 'Hooklens' })).toBeVisible();
    const status = await window.evaluate(() => (globalThis as unknown as { hooklens: { getStatus(): Promise<AppStatus> } }).hooklens.getStatus());

    const pushed = window.evaluate(
      () =>
        new Promise<DeliverySummary>((resolve) => {
          const bridge = (globalThis as unknown as { hooklens: { on(event: 'delivery', listener: (payload: DeliverySummary) => void): () => void } }).hooklens;
          const off = bridge.on('delivery', (delivery) => {
            off();
            resolve(delivery);
          });
        }),
    );
    const body = JSON.stringify({ id: 'evt_electron_smoke', type: 'review.analysed', created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data: {} });
    const response = await fetch(status.receiver.url as string, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(response.status).toBe(200);
    expect(await pushed).toMatchObject({ eventId: 'evt_electron_smoke', eventType: 'review.analysed' });
    await expect(window.getByText('evt_electron_smoke').first()).toBeVisible();
  });
});
