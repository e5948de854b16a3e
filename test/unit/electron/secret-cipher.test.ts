import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Inspector } from '../../../src/main/inspector/inspector';
import { createSafeStorageCipher } from '../../../src/main/electron/secret-cipher';
import { DATABASE_FILE } from '../../../src/main/store/store';
import { tempDir } from '../../helpers/temp-dir';
import { fakeElectron, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron);

describe('safeStorage secret cipher', () => {
  beforeEach(() => resetFakeElectron());

  it('round-trips through safeStorage and never stores the plain text', () => {
    const cipher = createSafeStorageCipher(undefined, 'linux');
    expect(cipher.scheme).toBe('electron-safe-storage');
    expect(cipher.unavailableReason).toBeNull();
    const sealed = cipher.seal('whsec_abc');
    expect(sealed.toString('utf8')).not.toContain('whsec_abc');
    expect(cipher.open(sealed)).toBe('whsec_abc');
    expect(fakeElectron.safeStorage.encryptString).toHaveBeenCalledWith('whsec_abc');
    expect(cipher.description).toContain('gnome_libsecret');
  });

  it("refuses Linux's basic_text backend with a reason naming the fix", () => {
    fakeElectron.safeStorage.backend = 'basic_text';
    const cipher = createSafeStorageCipher(undefined, 'linux');
    expect(cipher.unavailableReason).toMatch(/no keyring \(gnome-keyring or KWallet\)/);
    expect(cipher.unavailableReason).toMatch(/hard-coded/);
    expect(cipher.unavailableReason).toMatch(/HOOKLENS_SECRET/);
    expect(() => cipher.seal('whsec_abc')).toThrow(cipher.unavailableReason as string);
    expect(fakeElectron.safeStorage.encryptString).not.toHaveBeenCalled();
  });

  it('refuses when encryption is not available', () => {
    fakeElectron.safeStorage.available = false;
    const cipher = createSafeStorageCipher(undefined, 'darwin');
    expect(cipher.unavailableReason).toMatch(/secret storage is not available/);
    expect(() => cipher.seal('whsec_abc')).toThrow(/cannot be saved/);
  });

  describe('in a real Inspector', () => {
    let dir: ReturnType<typeof tempDir>;
    beforeEach(() => {
      dir = tempDir();
    });
    afterEach(() => dir.cleanup());

    it('saves a secret sealed by safeStorage and verifies with it after a restart', async () => {
      const first = new Inspector({ dataDir: dir.path, receiver: { port: 0 } }, { secretCipher: createSafeStorageCipher(undefined, 'linux') });
      first.addSecret({ label: 'current', value: 'whsec_saved' });
      const db = new Database(join(dir.path, DATABASE_FILE), { readonly: true });
      const sealed = db.prepare('SELECT sealed, scheme FROM secrets').get() as { sealed: Buffer; scheme: string };
      db.close();
      expect(sealed.scheme).toBe('electron-safe-storage');
      expect(sealed.sealed.toString('utf8')).not.toContain('whsec_saved');
      await first.stop();

      const second = new Inspector({ dataDir: dir.path, receiver: { port: 0 } }, { secretCipher: createSafeStorageCipher(undefined, 'linux') });
      expect(second.signingSecrets().map((secret) => secret.value)).toEqual(['whsec_saved']);
      expect(second.getStatus().secretStorage).toEqual({ available: true, description: expect.stringContaining('keyring') });
      await second.stop();
    });

    it('tells the settings screen why secrets cannot be saved on basic_text', async () => {
      fakeElectron.safeStorage.backend = 'basic_text';
      const inspector = new Inspector({ dataDir: dir.path, receiver: { port: 0 } }, { secretCipher: createSafeStorageCipher(undefined, 'linux') });
      expect(() => inspector.addSecret({ label: 'current', value: 'whsec_x' })).toThrow(/no keyring/);
      expect(inspector.getStatus().secretStorage).toEqual({ available: false, description: expect.stringMatching(/no keyring/) });
      await inspector.stop();
    });
  });
});
