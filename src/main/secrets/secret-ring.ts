import type { SecretInfo } from '../../shared/api';
import { ApiInputError } from '../../shared/validate';
import { fingerprint, type SigningSecret } from '../profile/signature';
import type { SecretCipher, SecretsRepository } from '../store/secrets-repository';
import { plural } from '../../shared/plural';

const RUNTIME = 'runtime-';
const STORED = 'stored-';

/**
 * The secrets deliveries are verified against: those given for this run (flags, environment)
 * and those saved, sealed, in the database. Values leave this module only towards the verifier.
 */
export function createSecretRing(options: {
  repository: SecretsRepository;
  cipher: SecretCipher;
  runtime: { label: string; value: string }[];
  clock: () => number;
  onChange: () => void;
}) {
  const { repository, cipher, clock } = options;
  const runtime: SigningSecret[] = options.runtime.map((secret, index) => ({ id: `${RUNTIME}${index + 1}`, label: secret.label, value: secret.value }));
  let cached: SigningSecret[] | null = null;

  let unreadable = false;

  /** Saved secrets this cipher can open; one it cannot (keyring reset) is skipped, not fatal. */
  function openable() {
    const opened = repository.reveal(cipher);
    unreadable = opened.length < repository.list().filter((secret) => secret.scheme === cipher.scheme).length;
    return opened;
  }

  function signing(): SigningSecret[] {
    if (!cached) {
      const stored = openable().map((secret) => ({
        id: `${STORED}${secret.id}`,
        label: secret.label,
        value: secret.value,
        retired: secret.retiredAt !== null,
      }));
      cached = [...runtime, ...stored];
    }
    return cached;
  }

  /**
   * The secret that signs when none is chosen: the first one given for this run; else the saved
   * one rotation names "current" (the newest so named); else the oldest active one saved — never
   * just the newest added, which may be a staging secret added for a test.
   */
  function current(): SigningSecret | null {
    const active = signing().filter((secret) => !secret.retired);
    return active.find((secret) => secret.id.startsWith(RUNTIME)) ?? active.find((secret) => secret.label === 'current') ?? active.at(-1) ?? null;
  }

  function list(): SecretInfo[] {
    const currentId = current()?.id ?? null;
    const fromRun: SecretInfo[] = runtime.map((secret) => ({
      id: secret.id,
      label: secret.label,
      fingerprint: fingerprint(secret.value),
      source: 'runtime',
      retired: false,
      createdAt: null,
      current: secret.id === currentId,
    }));
    // Secrets sealed by another shell (the desktop app's keychain) cannot be opened here.
    const saved: SecretInfo[] = repository
      .list()
      .filter((secret) => secret.scheme === cipher.scheme)
      .map((secret) => ({
      id: `${STORED}${secret.id}`,
      label: secret.label,
      fingerprint: secret.fingerprint,
      source: 'stored',
      retired: secret.retiredAt !== null,
      createdAt: secret.createdAt,
      current: `${STORED}${secret.id}` === currentId,
    }));
    return [...fromRun, ...saved];
  }

  function changed(): SecretInfo[] {
    cached = null;
    options.onChange();
    return list();
  }

  function storedId(id: string): number {
    if (id.startsWith(RUNTIME)) throw new ApiInputError('Secrets given on the command line or in HOOKLENS_SECRET last for this run only and cannot be changed here.');
    const number = Number(id.slice(STORED.length));
    if (!id.startsWith(STORED) || !Number.isInteger(number)) throw new ApiInputError(`No secret with id ${id}.`);
    return number;
  }

  /** Refuses what cannot be saved, or is already there, before anything changes. */
  function checkNew(value: string): string {
    if (cipher.unavailableReason) throw new ApiInputError(cipher.unavailableReason);
    const print = fingerprint(value);
    const same = list().find((secret) => secret.fingerprint === print);
    if (same) throw new ApiInputError(`This secret is already configured as "${same.label}" (${print}).`);
    return print;
  }

  function add(label: string, value: string): SecretInfo[] {
    repository.add(cipher, { label, value, fingerprint: checkNew(value), createdAt: clock() });
    return changed();
  }

  function rotate(value: string): SecretInfo[] {
    repository.rotate(cipher, { value, fingerprint: checkNew(value), at: clock() });
    return changed();
  }

  function mustChange(done: boolean, id: string): SecretInfo[] {
    if (!done) throw new ApiInputError(`No secret with id ${id}.`);
    return changed();
  }

  return {
    signing,
    current,
    list,
    add,
    rotate,
    relabel: (id: string, label: string) => mustChange(repository.relabel(storedId(id), label), id),
    setRetired: (id: string, retired: boolean) => mustChange(repository.setRetired(storedId(id), retired ? clock() : null), id),
    remove: (id: string) => mustChange(repository.remove(storedId(id)), id),
    storage: () => {
      // The desktop app seals with the OS keychain, the CLI with a key file: each cannot open the other's.
      const foreign = repository.list().filter((secret) => secret.scheme !== cipher.scheme).length;
      const elsewhere = foreign > 0 ? ` ${plural(foreign, 'secret', 'secrets')} saved by another Hooklens shell (the desktop app's keychain) cannot be used here; add ${foreign === 1 ? 'it' : 'them'} here too, or pass --secret.` : '';
      return {
        available: !cipher.unavailableReason && !unreadable && foreign === 0,
        description: (unreadable ? 'Saved secrets could not be decrypted (was the OS keyring reset?); add them again.' : (cipher.unavailableReason ?? cipher.description)) + elsewhere,
      };
    },
  };
}

export type SecretRing = ReturnType<typeof createSecretRing>;
