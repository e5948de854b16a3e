import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RESPONSE } from '../../../src/shared/response-config';
import { desktopInspectorConfig, savedSettings } from '../../../src/main/electron/inspector-config';
import { electronNativeBinding, NATIVE_BINDING_ENV } from '../../../src/main/electron/native-binding';
import { tempDir } from '../../helpers/temp-dir';
import { withTempStore } from '../../helpers/temp-store';

describe('desktop Inspector config', () => {
  it('takes runtime secrets from HOOKLENS_SECRET and the ngrok token from the environment', () => {
    expect(desktopInspectorConfig('/data', { HOOKLENS_SECRET: 'whsec_a, ,whsec_b', NGROK_AUTHTOKEN: 'tok' })).toEqual({
      dataDir: '/data',
      runtimeSecrets: [
        { label: 'HOOKLENS_SECRET 1', value: 'whsec_a' },
        { label: 'HOOKLENS_SECRET 2', value: 'whsec_b' },
      ],
      tunnel: { authtoken: 'tok' },
    });
    expect(desktopInspectorConfig('/data', {})).toEqual({ dataDir: '/data', runtimeSecrets: [], tunnel: { authtoken: undefined } });
  });
});

describe('saved settings', () => {
  const t = withTempStore();

  it('is empty on a new database', () => {
    expect(savedSettings(t.store.settings)).toEqual({});
  });

  it('reads the receiver address and response chosen earlier', () => {
    const response = { ...DEFAULT_RESPONSE, status: 202, strict: true };
    t.store.settings.put('receiver', { port: 9000, path: '/hooks/mine', host: 'ignored' });
    t.store.settings.put('response', response);
    expect(savedSettings(t.store.settings)).toEqual({ receiver: { port: 9000, path: '/hooks/mine' }, response });
  });

  it('ignores values that fail the contract validators', () => {
    t.store.settings.put('receiver', { port: 70000, path: '/x' });
    t.store.settings.put('response', { ...DEFAULT_RESPONSE, status: 99 });
    expect(savedSettings(t.store.settings)).toEqual({});
    t.store.settings.put('receiver', 'not an object');
    t.store.settings.put('response', null);
    expect(savedSettings(t.store.settings)).toEqual({});
  });

  it('ignores a value that is not JSON', () => {
    t.store.db.prepare("INSERT INTO settings (key, value) VALUES ('receiver', '{oops')").run();
    expect(savedSettings(t.store.settings)).toEqual({});
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
});
