import type { Statement } from 'better-sqlite3';
import type { Db } from './open-database';

/**
 * Prepared statements by their SQL, for queries built per filter shape (which filters are set,
 * how many values each): few shapes recur, so each is prepared once.
 */
export function createStatementCache(db: Db, max = 64): (sql: string) => Statement {
  const statements = new Map<string, Statement>();
  return (sql) => {
    let statement = statements.get(sql);
    if (!statement) {
      if (statements.size >= max) statements.clear();
      statement = db.prepare(sql);
      statements.set(sql, statement);
    }
    return statement;
  };
}
