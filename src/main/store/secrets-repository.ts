import type { Db } from './open-database';

/**
 * Seals secret values at rest. The desktop shell passes one backed by the OS keychain
 * (Electron safeStorage); the core never sees how.
 */
export interface SecretCipher {
  /** Stored with each row so a value sealed one way is never opened another. */
  readonly scheme: string;
  /** For the settings screen: how saved secrets are protected. */
  readonly description: string;
  /** Null when sealing works; otherwise why secrets cannot be saved (seal then throws). */
  readonly unavailableReason?: string | null;
  seal(plain: string): Buffer;
  open(sealed: Buffer): string;
}

export interface StoredSecret {
  id: number;
  label: string;
  fingerprint: string;
  createdAt: number;
  retiredAt: number | null;
  scheme: string;
}

interface SecretRow {
  id: number;
  label: string;
  sealed: Buffer;
  scheme: string;
  fingerprint: string;
  created_at: number;
  retired_at: number | null;
}

function toStored(row: SecretRow): StoredSecret {
  return {
    id: row.id,
    label: row.label,
    fingerprint: row.fingerprint,
    createdAt: row.created_at,
    retiredAt: row.retired_at,
    scheme: row.scheme,
  };
}

export function createSecretsRepository(db: Db) {
  const statements = {
    all: db.prepare<[]>('SELECT * FROM secrets ORDER BY retired_at IS NOT NULL, id DESC'),
    get: db.prepare<[number]>('SELECT * FROM secrets WHERE id = ?'),
    insert: db.prepare(
      'INSERT INTO secrets (label, sealed, scheme, fingerprint, created_at) VALUES (@label, @sealed, @scheme, @fingerprint, @createdAt)',
    ),
    label: db.prepare<[string, number]>('UPDATE secrets SET label = ? WHERE id = ?'),
    retire: db.prepare<[number | null, number]>('UPDATE secrets SET retired_at = ? WHERE id = ?'),
    remove: db.prepare<[number]>('DELETE FROM secrets WHERE id = ?'),
  };

  function list(): StoredSecret[] {
    return (statements.all.all() as SecretRow[]).map(toStored);
  }

  /** Every secret this cipher can open, with its value; only the core's verifier may call this. */
  function reveal(cipher: SecretCipher): (StoredSecret & { value: string })[] {
    const opened: (StoredSecret & { value: string })[] = [];
    for (const row of statements.all.all() as SecretRow[]) {
      if (row.scheme !== cipher.scheme) continue;
      try {
        opened.push({ ...toStored(row), value: cipher.open(row.sealed) });
      } catch {
        // Sealed under a key this machine no longer has: listed, but cannot verify.
      }
    }
    return opened;
  }

  function add(cipher: SecretCipher, input: { label: string; value: string; fingerprint: string; createdAt: number }): StoredSecret {
    const { lastInsertRowid } = statements.insert.run({
      label: input.label,
      sealed: cipher.seal(input.value),
      scheme: cipher.scheme,
      fingerprint: input.fingerprint,
      createdAt: input.createdAt,
    });
    return toStored(statements.get.get(Number(lastInsertRowid)) as SecretRow);
  }

  /**
   * Rotation in one transaction: this cipher's active "previous" is retired, its active "current"
   * becomes "previous" (still verifying), and the new secret becomes "current".
   */
  const rotate = db.transaction((cipher: SecretCipher, input: { value: string; fingerprint: string; at: number }): StoredSecret => {
    for (const row of statements.all.all() as SecretRow[]) {
      if (row.scheme !== cipher.scheme || row.retired_at !== null) continue;
      if (row.label === 'previous') statements.retire.run(input.at, row.id);
      else if (row.label === 'current') statements.label.run('previous', row.id);
    }
    return add(cipher, { label: 'current', value: input.value, fingerprint: input.fingerprint, createdAt: input.at });
  });

  function relabel(id: number, label: string): boolean {
    return statements.label.run(label, id).changes > 0;
  }

  function setRetired(id: number, retiredAt: number | null): boolean {
    return statements.retire.run(retiredAt, id).changes > 0;
  }

  function remove(id: number): boolean {
    return statements.remove.run(id).changes > 0;
  }

  return { list, reveal, add, rotate, relabel, setRetired, remove };
}

export type SecretsRepository = ReturnType<typeof createSecretsRepository>;
