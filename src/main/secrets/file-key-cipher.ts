import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretCipher } from '../store/secrets-repository';

const KEY_FILE = 'secret.key';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Seals secrets with AES-256-GCM under a random key kept in a separate 0600 file beside the
 * database, for shells without an OS keychain (the CLI and browser shell). A copied or shared
 * hooklens.db then holds no readable secret; the desktop app uses the OS keychain instead.
 */
export function createFileKeyCipher(dataDir: string): SecretCipher {
  const keyPath = join(dataDir, KEY_FILE);
  let key: Buffer | undefined;

  function loadKey(): Buffer {
    if (key) return key;
    try {
      key = readFileSync(keyPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      const fresh = randomBytes(32);
      // 'wx': never overwrite a key another process just wrote.
      try {
        writeFileSync(keyPath, fresh, { mode: 0o600, flag: 'wx' });
        key = fresh;
      } catch (writeError) {
        if ((writeError as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError;
        key = readFileSync(keyPath);
      }
    }
    if (key.length !== 32) throw new Error(`${keyPath} is not a Hooklens key (expected 32 bytes).`);
    return key;
  }

  return {
    scheme: 'aes-256-gcm:key-file',
    description: 'Saved secrets are encrypted (AES-256-GCM) with a key kept in secret.key beside the database, readable only by you.',
    unavailableReason: null,
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', loadKey(), iv);
      const sealed = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
    },
    open(sealed) {
      const decipher = createDecipheriv('aes-256-gcm', loadKey(), sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    },
  };
}
