import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createDeliveriesRepository } from '../../../src/main/store/deliveries-repository';
import { migrate } from '../../../src/main/store/migrations';
import { createSearchIndexer } from '../../../src/main/store/search-indexer';
import { createSupervisor } from '../../../src/main/util/supervisor';
import { DATABASE_FILE, openStore } from '../../../src/main/store/store';
import { newAttempt, newDelivery } from '../../helpers/deliveries';
import { tempDir } from '../../helpers/temp-dir';
import { withTempStore } from '../../helpers/temp-store';

const t = withTempStore();

const schema = () => t.store.db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
const rows = (sql: string) => t.store.db.prepare(sql).pluck().all();
const foreignKeysOn = () => t.store.db.pragma('foreign_keys', { simple: true }) === 1;

/** Three deliveries (an original, its retry, another event wrongly signed), an attempt of each kind, a queued forward. */
async function fill() {
  const original = await t.store.writeDelivery(newDelivery({ eventId: 'evt_a', searchText: 'needle' }));
  await t.store.writeDelivery(newDelivery({ eventId: 'evt_a', forwardTo: 'http://127.0.0.1:3000/hooks' }));
  await t.store.writeDelivery(newDelivery({ eventId: 'evt_b', signatureStatus: 'invalid' }));
  t.store.attempts.insert(newAttempt(original.id));
  const sent = t.store.attempts.insert(newAttempt(null));
  return { sent };
}

/** What deleting every row with its cascades and triggers leaves. */
function expectNothingLeftBut(sentAttemptId: number) {
  expect(t.store.deliveries.counts()).toMatchObject({ total: 0, duplicates: 0, bySignature: { valid: 0, invalid: 0 } });
  expect(t.store.deliveries.list({ text: 'needle' })).toEqual([]);
  // A request sent on its own belongs to no delivery and stays, as ON DELETE CASCADE leaves it.
  expect(rows('SELECT id FROM attempts')).toEqual([sentAttemptId]);
  expect(t.store.forwardQueue.count()).toBe(0);
  expect(rows('SELECT event_id FROM events')).toEqual([]);
  expect(t.store.db.pragma('foreign_key_check')).toEqual([]);
  expect(foreignKeysOn()).toBe(true);
}

describe('Delete all', () => {
  it('takes what deleting each row would (attempts, queued forwards, counts, links) and leaves the schema as it was', async () => {
    const before = schema();
    const { sent } = await fill();

    expect(t.store.deliveries.clear()).toBe(3);

    expectNothingLeftBut(sent.id);
    expect(schema()).toEqual(before);
    // Counted again from here: the trigger is back, and links and ordinals start over; ids go on.
    const next = await t.store.writeDelivery(newDelivery({ eventId: 'evt_a' }));
    expect(next).toMatchObject({ id: 4, duplicateOf: null, deliveryNumber: 1 });
    expect(t.store.deliveries.counts().total).toBe(1);
    expect(t.store.deliveries.remove(next.id)).toBe(true);
    expect(t.store.deliveries.counts().total).toBe(0);
  });

  it('truncates on this schema: the count trigger is dropped and made again inside the one transaction', () => {
    const folder = tempDir();
    const executed: string[] = [];
    const db = new Database(join(folder.path, DATABASE_FILE), { verbose: (sql) => executed.push(String(sql)) });
    try {
      db.pragma('foreign_keys = ON');
      migrate(db);
      const deliveries = createDeliveriesRepository(db);
      db.transaction(() => deliveries.insert(newDelivery()))();
      executed.length = 0;

      expect(deliveries.clear()).toBe(1);

      const at = (sql: string) => executed.findIndex((each) => each.startsWith(sql));
      // If a migration ever adds a table pointing at deliveries, Delete all falls back to row by
      // row (see the next test) and this fails: name it in delete-all.ts's CHILDREN.
      expect(at('DROP TRIGGER delivery_counts_delete')).toBeGreaterThan(at('BEGIN IMMEDIATE'));
      expect(at('DELETE FROM deliveries')).toBeGreaterThan(at('DROP TRIGGER'));
      expect(at('CREATE TRIGGER delivery_counts_delete')).toBeGreaterThan(at('DELETE FROM deliveries'));
      expect(at('COMMIT')).toBeGreaterThan(at('CREATE TRIGGER'));
    } finally {
      db.close();
      folder.cleanup();
    }
  });

  it.each([
    {
      added: 'a table whose rows go with their delivery',
      sql: `CREATE TABLE notes (delivery_id INTEGER REFERENCES deliveries(id) ON DELETE CASCADE, text TEXT);
        INSERT INTO notes SELECT id, 'seen' FROM deliveries;`,
      left: 'SELECT delivery_id FROM notes',
      expected: [],
    },
    {
      added: 'another trigger on deleting a delivery',
      sql: `CREATE TABLE deleted (id INTEGER);
        CREATE TRIGGER remember_deleted AFTER DELETE ON deliveries BEGIN INSERT INTO deleted VALUES (OLD.id); END;`,
      left: 'SELECT id FROM deleted ORDER BY id',
      expected: [1, 2, 3],
    },
  ])('takes the same with it on a schema it was not written for: $added', async ({ sql, left, expected }) => {
    const { sent } = await fill();
    t.store.db.exec(sql);

    expect(t.store.deliveries.clear()).toBe(3);

    expect(rows(left)).toEqual(expected);
    expectNothingLeftBut(sent.id);
  });

  it('inside a transaction already open (foreign keys cannot be switched there), takes the same with it', async () => {
    const { sent } = await fill();
    expect(t.store.db.transaction(() => t.store.deliveries.clear())()).toBe(3);
    expectNothingLeftBut(sent.id);
  });

  it('a failure inside it rolls all of it back: rows, counts, the trigger, and foreign keys are on', async () => {
    await fill();
    const before = schema();
    t.store.db.exec("CREATE TEMP TRIGGER refuse BEFORE DELETE ON forward_queue BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;");

    expect(() => t.store.deliveries.clear()).toThrow(/refused by the test/);

    expect(foreignKeysOn()).toBe(true);
    expect(schema()).toEqual(before);
    expect(t.store.deliveries.counts()).toMatchObject({ total: 3, duplicates: 1 });
    expect(rows('SELECT count(*) FROM attempts')).toEqual([2]);
    expect(t.store.forwardQueue.count()).toBe(1);
    t.store.db.exec('DROP TRIGGER temp.refuse');
    expect(t.store.deliveries.clear()).toBe(3);
  });

  it('takes the outbox row of a forward still out; its answer, when it comes, finds nothing to settle', async () => {
    const { id } = await t.store.writeDelivery(newDelivery({ forwardTo: 'http://127.0.0.1:3000/hooks' }));
    expect(t.store.forwardQueue.count()).toBe(1);
    t.store.deliveries.clear();
    expect(t.store.forwardQueue.count()).toBe(0);
    expect(() => t.store.forwardQueue.tried(id, 'no answer')).not.toThrow();
    expect(t.store.forwardQueue.removeThrough(id)).toBe(0);
  });

  it('that cannot take the lock changes nothing and leaves foreign keys on', async () => {
    await t.store.writeDelivery(newDelivery({ eventId: 'evt_a' }));
    const other = new Database(t.store.file);
    try {
      other.exec('BEGIN IMMEDIATE');
      expect(() => t.store.deliveries.clear()).toThrow(/locked|busy/i);
      expect(foreignKeysOn()).toBe(true);
      other.exec('COMMIT');
    } finally {
      other.close();
    }
    expect(t.store.deliveries.counts().total).toBe(1);
    expect(t.store.deliveries.clear()).toBe(1);
  });

  it('in one process is counted right by another that has the database open', async () => {
    const other = openStore(t.dir);
    try {
      await other.writeDelivery(newDelivery({ eventId: 'evt_a' }));
      expect(t.store.deliveries.clear()).toBe(1);
      // The other connection's statements were prepared before the trigger was made again.
      const after = await other.writeDelivery(newDelivery({ eventId: 'evt_a' }));
      expect(after.deliveryNumber).toBe(1);
      expect(other.deliveries.remove(after.id)).toBe(true);
      expect(t.store.deliveries.counts().total).toBe(0);
    } finally {
      other.close();
    }
  });
});

describe('search indexing after Delete all', () => {
  it('forgets the texts of deliveries deleted before their turn, so it stops stepping', async () => {
    const folder = tempDir();
    const executed: string[] = [];
    const db = new Database(join(folder.path, DATABASE_FILE), { verbose: (sql) => executed.push(String(sql)) });
    db.pragma('foreign_keys = ON');
    migrate(db);
    const indexer = createSearchIndexer(db, () => null, createSupervisor({ onProblem: () => undefined }));
    try {
      const deliveries = createDeliveriesRepository(db);
      const written = db.transaction(() => [1, 2, 3].map((n) => deliveries.insert(newDelivery({ eventId: `evt_${n}` }))))();
      for (const each of written) indexer.add(each.id, 'unindexed text');
      deliveries.clear();
      executed.length = 0;

      // Without forgetting them, a step (and its write lock) would come every 250 ms until the next delivery.
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const steps = executed.filter((sql) => sql === 'SELECT indexed_through FROM search_index_state').length;
      expect(steps).toBe(1);
    } finally {
      indexer.stop();
      db.close();
      folder.cleanup();
    }
  });
});
