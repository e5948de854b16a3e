import type { Db } from './open-database';

/** A subscriber token as listed: never its value, which is stored only as a hash. */
export interface RelayTokenInfo {
  name: string;
  createdAt: number;
  revokedAt: number | null;
  lastUsedAt: number | null;
}

/** A token's hash, for the relay to compare a presented token against every one in constant time. */
export interface RelayTokenHash {
  id: number;
  name: string;
  hash: Buffer;
  revoked: boolean;
}

interface TokenRow {
  id: number;
  name: string;
  hash: Buffer;
  created_at: number;
  revoked_at: number | null;
  last_used_at: number | null;
}

/** The name is taken by a token that is not revoked. */
export class RelayTokenNameTaken extends Error {
  override name = 'RelayTokenNameTaken';
}

/** The relay's subscriber tokens (schema 9): a name, a SHA-256 hash, when made, revoked and last used. */
export function createRelayTokensRepository(db: Db) {
  const statements = {
    add: db.prepare<[string, Buffer, number]>('INSERT INTO relay_tokens (name, hash, created_at) VALUES (?, ?, ?)'),
    all: db.prepare<[], TokenRow>('SELECT * FROM relay_tokens ORDER BY id'),
    revoke: db.prepare<[number, string]>('UPDATE relay_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL'),
    used: db.prepare<[number, number]>('UPDATE relay_tokens SET last_used_at = ? WHERE id = ?'),
    active: db.prepare<[], number>('SELECT id FROM relay_tokens WHERE revoked_at IS NULL').pluck(),
  };

  function add(name: string, hash: Buffer, at: number): void {
    try {
      statements.add.run(name, hash, at);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new RelayTokenNameTaken(`A token named "${name}" already exists; revoke it first, or choose another name.`);
      throw error;
    }
  }

  return {
    add,
    list: (): RelayTokenInfo[] =>
      statements.all.all().map((row) => ({ name: row.name, createdAt: row.created_at, revokedAt: row.revoked_at, lastUsedAt: row.last_used_at })),
    hashes: (): RelayTokenHash[] => statements.all.all().map((row) => ({ id: row.id, name: row.name, hash: row.hash, revoked: row.revoked_at !== null })),
    /** True when a token of that name was active (and is now revoked). */
    revoke: (name: string, at: number): boolean => statements.revoke.run(at, name).changes > 0,
    /** When each token last opened a stream: one transaction for all of them. */
    used: db.transaction((uses: ReadonlyMap<number, number>): void => {
      for (const [id, at] of uses) statements.used.run(at, id);
    }),
    activeIds: (): Set<number> => new Set(statements.active.all()),
  };
}

export type RelayTokensRepository = ReturnType<typeof createRelayTokensRepository>;
