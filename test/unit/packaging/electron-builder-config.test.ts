import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { afterPack } from '../../../scripts/packaging/after-pack';
import config, { APP_ID, LINUX_EXECUTABLE } from '../../../scripts/packaging/electron-builder.config';

const ROOT = join(__dirname, '..', '..', '..');

describe('electron-builder config (npm run dist)', () => {
  it('names the app', () => {
    expect(config).toMatchObject({ appId: APP_ID, productName: 'Hooklens' });
    expect(APP_ID).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/);
  });

  it('builds AppImage and .deb on Linux, .dmg on macOS, NSIS on Windows, into dist/', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.mac?.target).toBe('dmg');
    expect(config.win?.target).toBe('nsis');
    expect(config.directories?.output).toBe('dist');
    expect(config.publish).toBeNull();
  });

  it('gives every platform a 1024×1024 icon', () => {
    for (const platform of [config.linux, config.mac, config.win]) expect(platform?.icon).toBe('build/icon.png');
    const png = readFileSync(join(ROOT, 'build', 'icon.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // The IHDR chunk: width and height, big-endian, at bytes 16 and 20.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1024, 1024]);
  });

  it('does not install a second `hooklens` command on Linux (that name is the npm CLI)', () => {
    expect(config.linux?.executableName).toBe(LINUX_EXECUTABLE);
    expect(LINUX_EXECUTABLE).not.toBe('hooklens');
  });

  it('rebuilds better-sqlite3 for Electron and keeps the native modules out of app.asar', () => {
    expect(config.npmRebuild).toBe(true);
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/node_modules/@ngrok/**']));
  });

  it('packs the build output, not the sources', () => {
    const files = config.files as string[];
    expect(files).toEqual(expect.arrayContaining(['out/**/*', 'package.json']));
    expect(files.filter((pattern) => !pattern.startsWith('!') && !['out/**/*', 'package.json'].includes(pattern))).toEqual([]);
  });

  it('flips the fuses after packing, with the hook from after-pack.ts', () => {
    expect(config.afterPack).toBe(afterPack);
    expect(config.electronFuses).toBeUndefined();
  });
});
