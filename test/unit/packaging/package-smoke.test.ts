import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freePort, startAndDeliver, unpackedApp } from '../../../scripts/ci/package-smoke';
import { BIN } from '../../helpers/cli';
import { tempDir } from '../../helpers/temp-dir';

// scripts/ci/package-smoke.ts starts the packaged app on CI (it needs the real Electron). Here:
// where it looks for the app, and its start-deliver-stop loop with the CLI standing in for the app.
describe('package smoke (CI)', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir('hooklens-smoke-');
  });
  afterEach(() => dir.cleanup());

  const touch = (file: string) => (mkdirSync(dirname(file), { recursive: true }), writeFileSync(file, ''), file);

  it('finds the unpacked app electron-builder leaves in dist/ on each system', () => {
    expect(unpackedApp(dir.path, 'linux', 'x64')).toBeNull();
    const linux = touch(join(dir.path, 'linux-unpacked', 'hooklens-desktop'));
    expect(unpackedApp(dir.path, 'linux', 'x64')).toBe(linux);
    const windows = touch(join(dir.path, 'win-unpacked', 'Hooklens.exe'));
    expect(unpackedApp(dir.path, 'win32', 'x64')).toBe(windows);
    const mac = touch(join(dir.path, 'mac-arm64', 'Hooklens.app', 'Contents', 'MacOS', 'Hooklens'));
    expect(unpackedApp(dir.path, 'darwin', 'arm64')).toBe(mac);
    expect(unpackedApp(dir.path, 'darwin', 'x64')).toBeNull();
  });

  it('starts the app, delivers once it listens, and stops it', async () => {
    const port = await freePort();
    const status = await startAndDeliver({
      command: process.execPath,
      args: [BIN, 'serve', '--no-ui', '--port', String(port), '--data-dir', dir.path],
      // The test run's compile cache, not the user's (test/global-setup.ts).
      env: { PATH: process.env.PATH, HOME: process.env.HOME, HOOKLENS_COMPILE_CACHE: process.env.HOOKLENS_COMPILE_CACHE },
      receiverUrl: `http://127.0.0.1:${port}/hooks/reviewsense`,
    });
    expect(status).toBe(200);
  });

  it('fails with the reason when the app exits or never answers', async () => {
    await expect(startAndDeliver({ command: process.execPath, args: ['-e', 'console.error("no display"); process.exit(3)'], env: {}, receiverUrl: 'http://127.0.0.1:9/x' })).rejects.toThrow(
      /exited \(code 3, signal null\) before answering\.\nno display/,
    );
    await expect(startAndDeliver({ command: process.execPath, args: ['-e', 'setTimeout(() => {}, 60000)'], env: {}, receiverUrl: 'http://127.0.0.1:9/x', timeoutMs: 1_500 })).rejects.toThrow(
      'did not answer at http://127.0.0.1:9/x within 1.5 s',
    );
  });
});
