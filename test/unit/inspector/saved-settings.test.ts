import { describe, expect, it } from 'vitest';
import { readSavedSettings } from '../../../src/main/inspector/saved-settings';
import { DEFAULT_RESPONSE } from '../../../src/shared/response-config';
import { withTempStore } from '../../helpers/temp-store';

describe('saved settings', () => {
  const t = withTempStore();

  it('is empty on a new database', () => {
    expect(readSavedSettings(t.store.settings)).toEqual({});
  });

  it('reads the receiver address and response chosen earlier', () => {
    const response = { ...DEFAULT_RESPONSE, status: 202, strict: true };
    t.store.settings.put('receiver', { port: 9000, path: '/hooks/mine', host: 'ignored' });
    t.store.settings.put('response', response);
    expect(readSavedSettings(t.store.settings)).toEqual({ receiver: { port: 9000, path: '/hooks/mine' }, response });
  });

  it('ignores values that fail the contract validators', () => {
    t.store.settings.put('receiver', { port: 70000, path: '/x' });
    t.store.settings.put('response', { ...DEFAULT_RESPONSE, status: 99 });
    expect(readSavedSettings(t.store.settings)).toEqual({});
    t.store.settings.put('receiver', 'not an object');
    t.store.settings.put('response', null);
    expect(readSavedSettings(t.store.settings)).toEqual({});
  });

  it('ignores a value that is not JSON', () => {
    t.store.db.prepare("INSERT INTO settings (key, value) VALUES ('receiver', '{oops')").run();
    expect(readSavedSettings(t.store.settings)).toEqual({});
  });
});
