import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { desktopInspectorConfig } from '../../../src/main/electron/inspector-config';
import { electronNativeBinding, NATIVE_BINDING_ENV } from '../../../src/main/electron/native-binding';
import { tempDir } from '../../helpers/temp-dir';

describe('desktop Inspector config', () => {
  it('takes runtime secrets from HOOKLENS_SECRET and the ngrok token from the environment', () => {
    expect(desktopInspectorConfig('/data', { HOOKLENS_SECRET: 'whsec_a, ,whsec_b', NGROK_AUTHTOKEN: 'tok' })).toEqual({
      dataDir: '/data',
      runtimeSecrets: [
        { label: 'HOOKLENS_SECRET 1', value: 'whsec_a' },
        { label: 'HOOKLENS_SECRET 2', value: 'whsec_b' },
      ],
      tunnel: { authtoken: 'tok' },
      restoreSettings: true,
    });
    expect(desktopInspectorConfig('/data', {})).toEqual({ dataDir: '/data', runtimeSecrets: [], tunnel: { authtoken: undefined }, restoreSettings: true });
  });
});

describe('Electron native binding', () => {
  let dir: ReturnType<typeof tempDir>;
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => dir.cleanup());

  it('is undefined until npm start has built one', () => {
    expect(electronNativeBinding(dir.path, {})).toBeUndefined();
  });

  it('finds the build in .electron-native/, or the file named by the environment', () => {
    mkdirSync(join(dir.path, '.electron-native'));
    writeFileSync(join(dir.path, '.electron-native', 'better_sqlite3.node'), '');
    expect(electronNativeBinding(dir.path, {})).toBe(join(dir.path, '.electron-native', 'better_sqlite3.node'));

    const elsewhere = join(dir.path, 'custom.node');
    writeFileSync(elsewhere, '');
    expect(electronNativeBinding(dir.path, { [NATIVE_BINDING_ENV]: elsewhere })).toBe(elsewhere);
    expect(electronNativeBinding(dir.path, { [NATIVE_BINDING_ENV]: join(dir.path, 'missing.node') })).toBeUndefined();
  });

  it('is never used in a package: electron-builder rebuilt the default binding for Electron', () => {
    mkdirSync(join(dir.path, '.electron-native'));
    writeFileSync(join(dir.path, '.electron-native', 'better_sqlite3.node'), '');
    const elsewhere = join(dir.path, 'custom.node');
    writeFileSync(elsewhere, '');
    expect(electronNativeBinding(dir.path, {}, true)).toBeUndefined();
    expect(electronNativeBinding(dir.path, { [NATIVE_BINDING_ENV]: elsewhere }, true)).toBeUndefined();
  });
});
