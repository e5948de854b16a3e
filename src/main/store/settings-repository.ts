import type { Db } from './open-database';

/** Small JSON values by key (receiver config, window bounds, …). */
export function createSettingsRepository(db: Db) {
  const statements = {
    get: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?'),
    put: db.prepare<[string, string]>(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
    ),
    remove: db.prepare<[string]>('DELETE FROM settings WHERE key = ?'),
  };

  function get<T>(key: string): T | undefined {
    const row = statements.get.get(key);
    return row ? (JSON.parse(row.value) as T) : undefined;
  }

  function put(key: string, value: unknown): void {
    statements.put.run(key, JSON.stringify(value));
  }

  function remove(key: string): void {
    statements.remove.run(key);
  }

  return { get, put, remove };
}

export type SettingsRepository = ReturnType<typeof createSettingsRepository>;
