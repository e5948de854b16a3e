import { describe, expect, it } from 'vitest';
import { prune } from '../../../src/main/store/prune';
import type { RetentionRepository } from '../../../src/main/store/retention-repository';
import { newAttempt, newDelivery } from '../../helpers/deliveries';
import { withTempStore } from '../../helpers/temp-store';

const t = withTempStore();
const DAY = 24 * 60 * 60 * 1000;
const NOW = 1_777_000_000_000;

/** Writes one delivery per event id as the receiver would (group commit, links by event id). */
async function writeEvents(eventIds: string[], receivedAt: (index: number) => number = () => NOW) {
  const ids: number[] = [];
  for (const [index, eventId] of eventIds.entries()) ids.push((await t.store.writeDelivery(newDelivery({ eventId, receivedAt: receivedAt(index) }))).id);
  return ids;
}

const storedIds = () => (t.store.db.prepare('SELECT id FROM deliveries ORDER BY id').pluck().all() as number[]);
const indexedIds = () => (t.store.flushSearchIndex(), t.store.db.prepare("SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH 'positive' ORDER BY rowid").pluck().all() as number[]);
const attemptDeliveryIds = () => (t.store.db.prepare('SELECT delivery_id FROM attempts ORDER BY id').pluck().all() as number[]);

function attemptFor(deliveryId: number) {
  t.store.attempts.insert(newAttempt(deliveryId, { startedAt: NOW }));
}

describe('pruning to the newest N deliveries', () => {
  it('deletes the oldest beyond N, with their search entries and attempts', async () => {
    const ids = await writeEvents(Array.from({ length: 10 }, (_, i) => `evt_${i}`));
    for (const id of ids) attemptFor(id);

    const outcome = await prune(t.store.retention, { kind: 'count', deliveries: 4 }, { now: NOW });

    expect(outcome).toEqual({ deleted: 6, keptQueued: 0, throughId: ids[5], error: null });
    expect(storedIds()).toEqual(ids.slice(6));
    expect(indexedIds()).toEqual(ids.slice(6));
    expect(attemptDeliveryIds()).toEqual(ids.slice(6));
    expect(t.store.deliveries.list({ text: 'positive' }).map((row) => row.id)).toEqual(ids.slice(6).reverse());
  });

  it('keeps a delivery still waiting in the forward queue, on top of the newest N', async () => {
    const ids = await writeEvents(Array.from({ length: 6 }, (_, i) => `evt_${i}`));
    t.store.forwardQueue.add(ids[1]!, 'http://127.0.0.1:3000/hooks', NOW);

    const outcome = await prune(t.store.retention, { kind: 'count', deliveries: 2 }, { now: NOW });

    expect(outcome).toMatchObject({ deleted: 3, keptQueued: 1 });
    expect(storedIds()).toEqual([ids[1], ids[4], ids[5]]);
    expect(t.store.forwardQueue.list().map((item) => item.deliveryId)).toEqual([ids[1]]);
  });

  it('does nothing when there are N or fewer, without walking the newest N to find the cut', async () => {
    await writeEvents(['evt_a', 'evt_b', 'evt_c']);
    let walked = 0;
    const real = t.store.retention;
    const repository: RetentionRepository = {
      count: () => real.count(),
      nthNewestId: (n) => (walked++, real.nthNewestId(n)),
      oldest: (afterId, limit) => real.oldest(afterId, limit),
      remove: (ids) => real.remove(ids),
    };

    expect(await prune(repository, { kind: 'count', deliveries: 3 }, { now: NOW })).toMatchObject({ deleted: 0 });
    expect(walked).toBe(0);
    expect(storedIds()).toHaveLength(3);
  });

  it('counts what is stored, not the id span, when deletions left holes in it', async () => {
    const ids = await writeEvents(['evt_a', 'evt_b', 'evt_c', 'evt_d']);
    t.store.deliveries.remove(ids[1]!);
    expect(await prune(t.store.retention, { kind: 'count', deliveries: 3 }, { now: NOW })).toMatchObject({ deleted: 0 });
    expect(await prune(t.store.retention, { kind: 'count', deliveries: 2 }, { now: NOW })).toMatchObject({ deleted: 1, throughId: ids[0] });
    expect(storedIds()).toEqual([ids[2], ids[3]]);
  });
});

describe('pruning to the newest N days', () => {
  it('deletes what was received before the cut, oldest first', async () => {
    const ages = [40, 35, 31, 29, 2, 0];
    const ids = await writeEvents(ages.map((_, i) => `evt_${i}`), (i) => NOW - ages[i]! * DAY);

    const outcome = await prune(t.store.retention, { kind: 'age', days: 30 }, { now: NOW });

    expect(outcome).toMatchObject({ deleted: 3, keptQueued: 0, throughId: ids[2] });
    expect(storedIds()).toEqual(ids.slice(3));
    expect(indexedIds()).toEqual(ids.slice(3));
  });

  it('stops at the first younger delivery in arrival order (a clock set back), never deleting inside the policy', async () => {
    const ages = [40, 1, 45, 0];
    const ids = await writeEvents(ages.map((_, i) => `evt_${i}`), (i) => NOW - ages[i]! * DAY);

    expect(await prune(t.store.retention, { kind: 'age', days: 30 }, { now: NOW })).toMatchObject({ deleted: 1 });
    expect(storedIds()).toEqual(ids.slice(1));
  });

  it('keeps an old delivery waiting in the forward queue and goes on past it', async () => {
    const ages = [40, 39, 38, 1];
    const ids = await writeEvents(ages.map((_, i) => `evt_${i}`), (i) => NOW - ages[i]! * DAY);
    t.store.forwardQueue.add(ids[0]!, 'http://127.0.0.1:3000/hooks', NOW);

    expect(await prune(t.store.retention, { kind: 'age', days: 30 }, { now: NOW })).toMatchObject({ deleted: 2, keptQueued: 1 });
    expect(storedIds()).toEqual([ids[0], ids[3]]);
  });

  it('keeps everything under the default policy', async () => {
    await writeEvents(['evt_a'], () => NOW - 400 * DAY);
    expect(await prune(t.store.retention, { kind: 'all' }, { now: NOW })).toEqual({ deleted: 0, keptQueued: 0, throughId: 0, error: null });
    expect(storedIds()).toHaveLength(1);
  });
});

describe('duplicate links and ordinals outlive pruning', () => {
  it('gives a retry of a pruned event the next ordinal and the link to its pruned original', async () => {
    const original = await t.store.writeDelivery(newDelivery({ eventId: 'evt_kept_link' }));
    const firstRetry = await t.store.writeDelivery(newDelivery({ eventId: 'evt_kept_link' }));
    await writeEvents(['evt_other_1', 'evt_other_2']);

    await prune(t.store.retention, { kind: 'count', deliveries: 2 }, { now: NOW });
    expect(t.store.deliveries.get(original.id)).toBeNull();
    expect(t.store.deliveries.get(firstRetry.id)).toBeNull();

    const retry = await t.store.writeDelivery(newDelivery({ eventId: 'evt_kept_link' }));
    expect(retry).toMatchObject({ duplicateOf: original.id, deliveryNumber: 3 });
    expect(t.store.deliveries.get(retry.id)).toMatchObject({ duplicateOf: original.id, deliveryNumber: 3 });
    // Ids are never reused, so the link can never come to point at an unrelated delivery.
    expect(retry.id).toBeGreaterThan(firstRetry.id + 2);
  });
});

describe('batches', () => {
  it('deletes a batch per transaction and pauses between batches', async () => {
    const ids = await writeEvents(Array.from({ length: 25 }, (_, i) => `evt_${i}`));
    const seen: string[] = [];

    const outcome = await prune(t.store.retention, { kind: 'count', deliveries: 1 }, {
      now: NOW,
      batchSize: 10,
      pause: async () => void seen.push('pause'),
      onBatch: (soFar) => seen.push(`batch ${soFar.deleted}`),
    });

    expect(outcome).toMatchObject({ deleted: 24, throughId: ids[23] });
    expect(seen).toEqual(['batch 10', 'pause', 'batch 20', 'pause', 'batch 24']);
  });

  it('never deletes what arrived during a long prune, even after everything older was deleted meanwhile', async () => {
    await writeEvents(Array.from({ length: 30 }, (_, i) => `evt_${i}`));
    let fresh: number[] = [];

    const outcome = await prune(t.store.retention, { kind: 'count', deliveries: 10 }, {
      now: NOW,
      batchSize: 5,
      pause: async () => {
        // Delete all in the UI, then new deliveries, between the first two batches.
        if (fresh.length > 0) return;
        t.store.deliveries.clear();
        fresh = await writeEvents(Array.from({ length: 5 }, (_, i) => `evt_new_${i}`));
      },
    });

    expect(outcome.deleted).toBe(5);
    expect(storedIds()).toEqual(fresh);
  });

  it('lets a delivery commit between two batches (the receiver keeps answering)', async () => {
    await writeEvents(Array.from({ length: 30 }, (_, i) => `evt_${i}`));
    const order: string[] = [];

    const pruned = prune(t.store.retention, { kind: 'count', deliveries: 1 }, { now: NOW, batchSize: 10, onBatch: (soFar) => order.push(`batch ${soFar.deleted}`) });
    const written = t.store.writeDelivery(newDelivery({ eventId: 'evt_during_prune' })).then(() => order.push('delivery committed'));
    await Promise.all([pruned, written]);

    expect(order.indexOf('delivery committed')).toBeGreaterThan(0);
    expect(order.indexOf('delivery committed')).toBeLessThan(order.length - 1);
    // Counted once at the start: the delivery that arrived meanwhile is never a candidate.
    expect(t.store.deliveries.ofEvent('evt_during_prune')).toHaveLength(1);
  });

  it('stops at the next batch when cancelled (a new policy, the store closing)', async () => {
    await writeEvents(Array.from({ length: 30 }, (_, i) => `evt_${i}`));
    let batches = 0;
    const outcome = await prune(t.store.retention, { kind: 'count', deliveries: 1 }, { now: NOW, batchSize: 10, onBatch: () => batches++, cancelled: () => batches >= 1 });
    expect(outcome).toMatchObject({ deleted: 10, error: null });
    expect(storedIds()).toHaveLength(20);
  });

  it('reports a locked database as a reason and keeps what it already did', async () => {
    await writeEvents(Array.from({ length: 30 }, (_, i) => `evt_${i}`));
    const Database = (await import('better-sqlite3')).default;
    const other = new Database(t.store.file);
    let batches = 0;
    const outcome = await prune(t.store.retention, { kind: 'count', deliveries: 1 }, {
      now: NOW,
      batchSize: 10,
      // Another process takes the write lock after the first batch.
      onBatch: () => void (batches++ === 0 && other.exec('BEGIN IMMEDIATE')),
    });
    other.exec('ROLLBACK');
    other.close();
    expect(outcome).toMatchObject({ deleted: 10, error: expect.stringContaining('locked') });
  });
});
