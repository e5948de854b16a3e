import { describe, expect, it } from 'vitest';
import { DEV_ENV, developerToolsEnabled } from '../../../src/main/electron/developer-mode';

describe('developer tools (Reload, Toggle Developer Tools)', () => {
  it('are on only for an unpackaged run started by a developer (npm start sets HOOKLENS_DEV=1)', () => {
    expect(DEV_ENV).toBe('HOOKLENS_DEV');
    expect(developerToolsEnabled({ isPackaged: false, env: { HOOKLENS_DEV: '1' } })).toBe(true);
  });

  it('are off in an unpackaged run nobody asked for them in (e.g. the Playwright smoke test)', () => {
    expect(developerToolsEnabled({ isPackaged: false, env: {} })).toBe(false);
    for (const value of ['', '0', 'true', 'yes', ' 1']) expect(developerToolsEnabled({ isPackaged: false, env: { HOOKLENS_DEV: value } })).toBe(false);
  });

  it('are never on in a package, whatever the environment says', () => {
    expect(developerToolsEnabled({ isPackaged: true, env: {} })).toBe(false);
    expect(developerToolsEnabled({ isPackaged: true, env: { HOOKLENS_DEV: '1', NODE_ENV: 'development' } })).toBe(false);
  });
});
