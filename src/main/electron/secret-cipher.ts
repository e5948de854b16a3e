import { safeStorage } from 'electron';
import type { SecretCipher } from '../store/secrets-repository';

type SafeStorage = Pick<Electron.SafeStorage, 'isEncryptionAvailable' | 'getSelectedStorageBackend' | 'encryptString' | 'decryptString'>;

const RUN_ONLY_HINT = 'or pass secrets with HOOKLENS_SECRET (comma-separated) when starting Hooklens; those last for that run only.';

/**
 * Seals saved signing secrets with the OS keychain through Electron's safeStorage. Call after
 * the app is ready (Linux picks its backend then). Refuses, with a reason, rather than store a
 * secret under Linux's basic_text fallback, whose key is hard-coded in Chromium.
 */
export function createSafeStorageCipher(storage: SafeStorage = safeStorage, platform: NodeJS.Platform = process.platform): SecretCipher {
  const unavailableReason = whyUnavailable(storage, platform);
  return {
    scheme: 'electron-safe-storage',
    description: describe(storage, platform),
    unavailableReason,
    seal(plain) {
      if (unavailableReason) throw new Error(unavailableReason);
      return storage.encryptString(plain);
    },
    open(sealed) {
      return storage.decryptString(sealed);
    },
  };
}

function whyUnavailable(storage: SafeStorage, platform: NodeJS.Platform): string | null {
  if (platform === 'linux' && storage.getSelectedStorageBackend() === 'basic_text') {
    return (
      'Secrets cannot be saved: no keyring (gnome-keyring or KWallet) was found, so they would be encrypted ' +
      `with a key hard-coded in Electron that anyone can undo. Install and unlock a keyring and restart Hooklens, ${RUN_ONLY_HINT}`
    );
  }
  if (!storage.isEncryptionAvailable()) {
    return `Secrets cannot be saved: the operating system's secret storage is not available to Hooklens. Unlock or set up your keychain and restart Hooklens, ${RUN_ONLY_HINT}`;
  }
  return null;
}

function describe(storage: SafeStorage, platform: NodeJS.Platform): string {
  if (platform === 'darwin') return 'Saved secrets are encrypted with a key kept in your macOS Keychain.';
  if (platform === 'win32') return 'Saved secrets are encrypted with Windows DPAPI, readable only by your Windows account.';
  return `Saved secrets are encrypted with a key kept in your keyring (${storage.getSelectedStorageBackend()}).`;
}
