import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuseMismatches } from '../../scripts/packaging/after-pack';
import { LINUX_EXECUTABLE } from '../../scripts/packaging/electron-builder.config';
import { tempDir } from '../helpers/temp-dir';

// `npm run dist` as far as it can run without the Electron binary: electron-builder with the
// project's config file, packing a Linux app folder (`--dir`) around a stand-in Electron (a file
// with Electron's fuse wire) and without the native rebuild (that needs Electron's headers).
// Checks what goes into app.asar, what is unpacked, and that the afterPack hook flipped the fuses.
// The real packages (AppImage, .deb, .dmg, NSIS) are built by CI on tags (.github/workflows/ci.yml).

const ROOT = join(__dirname, '..', '..');
const CONFIG = join('scripts', 'packaging', 'electron-builder.config.ts');
const withoutVitest = (env: NodeJS.ProcessEnv) => Object.fromEntries(Object.entries(env).filter(([key]) => key !== 'VITEST' && !key.startsWith('VITEST_')));

describe('desktop package (electron-builder, stand-in Electron)', () => {
  let dir: ReturnType<typeof tempDir>;
  let resources: string;
  let entries: string[];
  let output = '';

  beforeAll(() => {
    if (!existsSync(join(ROOT, 'out', 'main', 'index.js'))) throw new Error('out/ is missing: run `npm run build` first.');
    dir = tempDir('hooklens-dist-');
    const electronDist = join(dir.path, 'electron');
    mkdirSync(join(electronDist, 'resources'), { recursive: true });
    // Electron 45's default fuses, behind the sentinel @electron/fuses looks for.
    writeFileSync(join(electronDist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\n'), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8]), Buffer.from('10110001\n')]));
    chmodSync(join(electronDist, 'electron'), 0o755);
    writeFileSync(join(electronDist, 'version'), '45.5.0');
    writeFileSync(join(electronDist, 'LICENSE'), 'stand-in');

    const run = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules', 'electron-builder', 'cli.js'),
        '--config', CONFIG, '--publish', 'never', '--linux', 'dir',
        `-c.electronDist=${electronDist}`, '-c.npmRebuild=false', `-c.directories.output=${join(dir.path, 'dist')}`,
      ],
      // Without VITEST in its environment: electron-builder hides its log under vitest.
      { cwd: ROOT, encoding: 'utf8', env: { ...withoutVitest(process.env), ELECTRON_SKIP_BINARY_DOWNLOAD: '1' } },
    );
    output = `${run.stdout}\n${run.stderr}`;
    if (run.status !== 0) throw new Error(`electron-builder failed (${run.status}):\n${output}`);
    resources = join(dir.path, 'dist', 'linux-unpacked', 'resources');
    entries = listPackage(join(resources, 'app.asar'), { isPack: false }).map((entry) => entry.split(sep).join('/'));
  }, 180_000);

  afterAll(() => dir?.cleanup());

  it('loads the TypeScript config and runs the afterPack hook', () => {
    expect(output).toContain(`loaded configuration  file=${join(ROOT, CONFIG)}`);
    expect(output).toContain('Electron fuses set  RunAsNode=off');
  });

  it('flips the fuses in the packed executable (named so it does not shadow the `hooklens` CLI)', async () => {
    const binary = join(dir.path, 'dist', 'linux-unpacked', LINUX_EXECUTABLE);
    expect(LINUX_EXECUTABLE).not.toBe('hooklens');
    expect(await fuseMismatches(binary)).toEqual([]);
  });

  it('puts the built app and its runtime dependencies in app.asar, and nothing else', () => {
    expect(entries).toEqual(expect.arrayContaining(['/package.json', '/out/main/index.js', '/out/preload/index.js', '/out/renderer/index.html']));
    const packageJson = JSON.parse(extractFile(join(resources, 'app.asar'), 'package.json').toString('utf8')) as { main: string; dependencies: Record<string, string> };
    expect(entries).toContain(`/${packageJson.main}`);
    const modules = new Set(entries.filter((entry) => entry.startsWith('/node_modules/')).map((entry) => entry.split('/')[2]));
    for (const dependency of Object.keys(packageJson.dependencies)) expect(modules).toContain(dependency.split('/')[0]);
    // Electron itself, the dev tooling and the renderer's libraries (bundled into out/renderer) stay out.
    for (const devOnly of ['electron', 'electron-builder', 'vite', 'vitest', 'typescript', 'react', 'react-dom', '@codemirror', 'playwright', '@playwright']) {
      expect(modules).not.toContain(devOnly);
    }
    expect(entries.filter((entry) => /^\/(src|test|scripts|bench|docs|build|\.electron-native)(\/|$)/.test(entry))).toEqual([]);
  });

  it('packs a preload the sandbox can load: it requires nothing but electron', () => {
    // A sandboxed preload's require knows only electron (and a few polyfills): `require("zod")`
    // would throw and leave the page without window.hooklens.
    const preload = extractFile(join(resources, 'app.asar'), join('out', 'preload', 'index.js')).toString('utf8');
    const required = [...preload.matchAll(/\brequire\(["']([^"']+)["']\)/g)].map((match) => match[1]);
    expect([...new Set(required)]).toEqual(['electron']);
  });

  it('unpacks the native modules from app.asar: better-sqlite3 (its compiled module only) and ngrok', () => {
    const unpacked = join(resources, 'app.asar.unpacked');
    const files = (folder: string): string[] =>
      readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? files(join(folder, entry.name)) : [relative(unpacked, join(folder, entry.name)).split(sep).join('/')]));
    const all = files(unpacked);
    expect(all).toContain('node_modules/better-sqlite3/build/Release/better_sqlite3.node');
    expect(all).toContain('node_modules/better-sqlite3/lib/database.js');
    expect(all.filter((file) => /better-sqlite3\/(deps|src)\//.test(file))).toEqual([]);
    expect(all.some((file) => file.startsWith('node_modules/@ngrok/') && file.endsWith('.node'))).toBe(true);
    // The archive lists them as unpacked, so Electron loads them from the folder.
    expect(readFileSync(join(unpacked, 'node_modules', 'better-sqlite3', 'package.json'), 'utf8')).toContain('"name": "better-sqlite3"');
  });
});
