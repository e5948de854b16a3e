import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN } from '../helpers/cli';
import { tempDir } from '../helpers/temp-dir';

// bin/hooklens.js compiles the built bundles with a V8 code cache. Runs the real CLI with NODE_DEBUG=hooklens, which reports what the
// cache did, and checks that a cache that is stale, damaged or unsafe is never used.

const ROOT = join(__dirname, '..', '..');
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/** The built files a CLI run loads, each with a cache file of its own: cli.js and the chunks it requires (as the bundler split them). */
function loadedBundleFiles(): string[] {
  const pending = ['out/main/cli.js'];
  const loaded = new Set<string>();
  while (pending.length) {
    const file = pending.pop()!;
    if (loaded.has(file)) continue;
    loaded.add(file);
    const code = readFileSync(join(ROOT, file), 'utf8');
    for (const match of code.matchAll(/require\("\.\/((?:chunks\/)?[\w-]+\.js)"\)/g)) pending.push(join('out/main', file.includes('/chunks/') ? 'chunks' : '', match[1]!));
  }
  return [...loaded];
}
const LOADED = loadedBundleFiles().length;
describe('the CLI compile cache', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => dir.cleanup()));

  function cacheDir(): string {
    const dir = tempDir('hooklens-cc-');
    dirs.push(dir);
    return join(dir.path, 'cache');
  }

  function hooklens(cache: string, args: string[] = ['--version'], env: NodeJS.ProcessEnv = {}) {
    const run = spawnSync(process.execPath, [BIN, ...args], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_DEBUG: 'hooklens', HOOKLENS_COMPILE_CACHE: cache, ...env },
    });
    return { status: run.status, stdout: run.stdout, debug: run.stderr.split('\n').filter((line) => line.includes('compile cache')) };
  }

  const cacheBytes = (cache: string): number => readdirSync(cache).reduce((total, file) => total + statSync(join(cache, file)).size, 0);

  /** serve until it wrote its cache, or 2 s past ready (15 s at most); then SIGTERM. Its debug output. */
  async function serveBriefly(cache: string, data: string): Promise<string> {
    const child = spawn(process.execPath, [BIN, 'serve', '--json', '--no-ui', '--port', '0', '--secret', 'whsec_compile_cache', '--data-dir', data], {
      env: { PATH: process.env.PATH, HOME: process.env.HOME, NODE_DEBUG: 'hooklens', HOOKLENS_COMPILE_CACHE: cache },
    });
    let stderr = '';
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve) => {
      let readyAt: NodeJS.Timeout | null = null;
      child.stdout.on('data', (chunk: Buffer) => {
        if (readyAt === null && chunk.toString().includes('"ready"')) readyAt = setTimeout(resolve, 2_000);
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('wrote')) resolve();
      });
      void exited.then(() => resolve());
      // Never left running past the test, whatever it printed.
      setTimeout(resolve, 15_000).unref();
    });
    child.kill('SIGTERM');
    await exited;
    return stderr;
  }

  it('writes a private cache on the first run and uses it on the next, with the same result', () => {
    const cache = cacheDir();
    const first = hooklens(cache);
    expect(first.status).toBe(0);
    expect(first.stdout.trim()).toBe(version);
    expect(first.debug.filter((line) => line.includes('none for'))).toHaveLength(LOADED);
    expect(first.debug.filter((line) => line.includes('wrote'))).toHaveLength(LOADED);

    const files = readdirSync(cache);
    expect(files.map((file) => file.replace(/^[0-9a-f]{16}-/, '').replace(/-[\w-]{8}(?=\.js\.bin$)/, ''))).toEqual(expect.arrayContaining(['cli.js.bin', 'api-handlers.js.bin']));
    if (process.platform !== 'win32') {
      expect(statSync(cache).mode & 0o777).toBe(0o700);
      for (const file of files) expect(statSync(join(cache, file)).mode & 0o777).toBe(0o600);
    }

    const second = hooklens(cache);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expect(second.debug.filter((line) => line.includes('accepted for'))).toHaveLength(LOADED);
    expect(second.debug.some((line) => line.includes('wrote'))).toBe(false);
  });

  it('never hands V8 a damaged file (which would crash it): it compiles afresh and rewrites the file', () => {
    const cache = cacheDir();
    hooklens(cache);
    for (const file of readdirSync(cache)) {
      const bytes = readFileSync(join(cache, file));
      // Past the key and checksum: the bytes V8 would deserialize.
      for (let index = 200; index < bytes.length; index += 97) bytes[index] = (bytes[index] as number) ^ 0x5a;
      writeFileSync(join(cache, file), bytes);
    }
    const damaged = hooklens(cache);
    expect(damaged.status).toBe(0);
    expect(damaged.stdout.trim()).toBe(version);
    expect(damaged.debug.filter((line) => line.includes('is damaged'))).toHaveLength(LOADED);
    expect(damaged.debug.filter((line) => line.includes('wrote'))).toHaveLength(LOADED);
    expect(hooklens(cache).debug.filter((line) => line.includes('accepted for'))).toHaveLength(LOADED);
  });

  it('a long run replaces a short command’s cache with its larger start-up, once', async () => {
    const cache = cacheDir();
    hooklens(cache);
    const sizeAfterVersion = cacheBytes(cache);
    const data = cacheDir();
    const serve = await serveBriefly(cache, data);
    expect(serve).toContain('accepted for');
    expect(serve).toContain('wrote');
    const sizeAfterServe = cacheBytes(cache);
    expect(sizeAfterServe).toBeGreaterThan(sizeAfterVersion * 1.1);
    // Another short command keeps the larger cache.
    const after = hooklens(cache);
    expect(after.debug.filter((line) => line.includes('accepted for'))).toHaveLength(LOADED);
    expect(after.debug.some((line) => line.includes('wrote'))).toBe(false);
    // And another long run leaves it as it is.
    const again = await serveBriefly(cache, data);
    expect(again).toContain('accepted for');
    expect(again).not.toContain('wrote');
  });

  it('removes the files of this install’s older builds, and no one else’s', () => {
    const cache = cacheDir();
    hooklens(cache);
    const install = (readdirSync(cache)[0] as string).slice(0, 16);
    writeFileSync(join(cache, `${install}-api-handlers-OldBuild.js.bin`), 'old');
    writeFileSync(join(cache, '0123456789abcdef-cli.js.bin'), 'another install');
    hooklens(cache);
    expect(readdirSync(cache)).not.toContain(`${install}-api-handlers-OldBuild.js.bin`);
    expect(readdirSync(cache)).toContain('0123456789abcdef-cli.js.bin');
  });

  it.runIf(process.platform !== 'win32')('does not use a folder others can write to', () => {
    const cache = cacheDir();
    hooklens(cache);
    chmodSync(cache, 0o777);
    const run = hooklens(cache);
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(version);
    expect(run.debug.join('\n')).toContain('writable by others; not used');
    expect(run.debug.some((line) => line.includes('accepted for'))).toBe(false);
  });

  it('keeps runs with other Node options in a file of their own, so neither rejects the other’s', () => {
    const cache = cacheDir();
    hooklens(cache);
    const other = hooklens(cache, ['--version'], { NODE_OPTIONS: '--max-old-space-size=512' });
    expect(other.debug.filter((line) => line.includes('none for'))).toHaveLength(LOADED);
    expect(hooklens(cache, ['--version'], { NODE_OPTIONS: '--max-old-space-size=512' }).debug.filter((line) => line.includes('accepted for'))).toHaveLength(LOADED);
    // The plain runs' cache is still there and still accepted.
    expect(hooklens(cache).debug.filter((line) => line.includes('accepted for'))).toHaveLength(LOADED);
    expect(readdirSync(cache)).toHaveLength(2 * LOADED);
  });

  it('starts without a cache when its folder cannot be made', () => {
    const cache = cacheDir();
    writeFileSync(join(cache, '..', 'a-file'), '');
    const run = hooklens(join(cache, '..', 'a-file', 'cache'));
    expect(run.status).toBe(0);
    expect(run.stdout.trim()).toBe(version);
    expect(run.debug.join('\n')).toContain('unusable');
  });

  it.runIf(process.getuid?.() === 0)('as root with another user’s home folder (sudo keeping HOME), creates nothing in it', () => {
    const home = cacheDir();
    mkdirSync(home);
    chownSync(home, 4321, 4321);
    const run = spawnSync(process.execPath, [BIN, '--version'], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home, NODE_DEBUG: 'hooklens' } });
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('running as root in another user');
    expect(readdirSync(home)).toEqual([]);
  });

  it('is off with NODE_DISABLE_COMPILE_CACHE', () => {
    const cache = cacheDir();
    const run = hooklens(cache, ['--version'], { NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(run.stdout.trim()).toBe(version);
    expect(run.debug).toEqual([]);
    expect(() => readdirSync(cache)).toThrow();
  });
});
