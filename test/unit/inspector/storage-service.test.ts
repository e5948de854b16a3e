import { afterEach, describe, expect, it } from 'vitest';
import { createStorageService, type StorageService } from '../../../src/main/inspector/storage-service';
import type { PruneResult, RetentionPolicy, StorageStatus } from '../../../src/shared/storage';
import { newDelivery } from '../../helpers/deliveries';
import { withTempStore } from '../../helpers/temp-store';
import { createSupervisor } from '../../../src/main/util/supervisor';

const t = withTempStore();
const NOW = 1_777_000_000_000;
let service: StorageService | null = null;

/** Background failures the service reported: none is expected in these tests. */
let problems: string[] = [];

afterEach(async () => {
  await service?.stop();
  service = null;
  expect(problems).toEqual([]);
  problems = [];
});

function start(runPolicy?: RetentionPolicy) {
  const changes: StorageStatus[] = [];
  const pruned: PruneResult[] = [];
  const waiters: { until: (status: StorageStatus) => boolean; resolve: (status: StorageStatus) => void }[] = [];
  /** Resolves with the first status pushed from now on that passes `until`. */
  const next = (until: (status: StorageStatus) => boolean) => new Promise<StorageStatus>((resolve) => waiters.push({ until, resolve }));
  service = createStorageService({
    store: t.store,
    clock: () => NOW,
    runPolicy,
    onChange: (status) => {
      changes.push(status);
      for (const waiter of waiters.splice(0)) {
        if (waiter.until(status)) waiter.resolve(status);
        else waiters.push(waiter);
      }
    },
    onPruned: (result) => pruned.push(result),
    supervisor: createSupervisor({ onProblem: (task, problem) => void (problem && problems.push(`${task}: ${problem.message}`)) }),
  });
  return { service, changes, pruned, next };
}

/** `count` deliveries in one transaction, each with a body of `bodyBytes` (fast, for size tests). */
/** Committed in one transaction; searchable once indexed from their bodies, as after a restart. */
function fill(count: number, bodyBytes = 200) {
  t.store.db.transaction(() => {
    for (let i = 0; i < count; i++) {
      const body = Buffer.from(JSON.stringify({ id: `evt_fill_${i}`, type: 'review.analysed', data: { sentiment: 'positive', pad: 'a'.repeat(bodyBytes) } }));
      t.store.deliveries.insert(newDelivery({ eventId: `evt_fill_${i}`, body, bodySize: body.length, searchText: body.toString() }));
    }
  })();
}

const storedCount = () => t.store.db.prepare('SELECT count(*) FROM deliveries').pluck().get() as number;

describe('the retention policy in force', () => {
  it('keeps everything by default', () => {
    const { service } = start();
    expect(service.status()).toMatchObject({ retention: { kind: 'all' }, retentionSource: 'saved', lastPrune: null, compaction: null, dbFile: t.store.file });
    expect(service.status().bytes).toBeGreaterThan(0);
  });

  it('reads the policy saved in Settings, and ignores one that fails the schema', () => {
    t.store.settings.put('retention', { kind: 'age', days: 30 });
    expect(start().service.status().retention).toEqual({ kind: 'age', days: 30 });
    t.store.settings.put('retention', { kind: 'count', deliveries: 0 });
    expect(start().service.status().retention).toEqual({ kind: 'all' });
  });

  it('lets a policy given for the run win over the saved one without saving it; a change in Settings replaces it and is saved', async () => {
    t.store.settings.put('retention', { kind: 'age', days: 30 });
    const { service } = start({ kind: 'count', deliveries: 5 });
    expect(service.status()).toMatchObject({ retention: { kind: 'count', deliveries: 5 }, retentionSource: 'run' });
    expect(t.store.settings.get('retention')).toEqual({ kind: 'age', days: 30 });

    expect(service.setRetention({ kind: 'count', deliveries: 7 })).toMatchObject({ retention: { kind: 'count', deliveries: 7 }, retentionSource: 'saved' });
    expect(t.store.settings.get('retention')).toEqual({ kind: 'count', deliveries: 7 });
  });
});

describe('pruning', () => {
  it('prunes at start and reports what it deleted', async () => {
    fill(12);
    const { service, pruned, changes } = start({ kind: 'count', deliveries: 5 });
    service.start();
    await service.pruneNow();
    expect(storedCount()).toBe(5);
    expect(pruned).toEqual([expect.objectContaining({ deleted: 7, keptQueued: 0, policy: { kind: 'count', deliveries: 5 }, error: null })]);
    expect(service.status()).toMatchObject({ pruning: false, lastPrune: { deleted: 7 } });
    expect(changes.some((status) => status.pruning)).toBe(true);
  });

  it('prunes at once to a new policy, and shows that first run even when it deleted nothing', async () => {
    fill(3);
    const { service, pruned } = start();
    service.start();
    service.setRetention({ kind: 'count', deliveries: 10 });
    await service.pruneNow();
    expect(service.status().lastPrune).toMatchObject({ deleted: 0, policy: { kind: 'count', deliveries: 10 } });
    expect(pruned).toEqual([]);

    service.setRetention({ kind: 'count', deliveries: 1 });
    await service.pruneNow();
    expect(storedCount()).toBe(1);
    expect(pruned.map((result) => result.deleted)).toEqual([2]);
  });

  it('stops a running prune at its next batch when stopped, before the store closes', async () => {
    fill(4_990);
    const { service, next } = start({ kind: 'count', deliveries: 10 });
    // The first batch runs a turn after start() (start-up never waits for it); stop right after it.
    const firstBatch = next((status) => status.pruning);
    service.start();
    await firstBatch;
    await service.stop();
    const left = storedCount();
    expect(left).toBeGreaterThan(10);
    expect(left).toBeLessThan(4_990);
  });
});

describe('compaction', () => {
  it('runs VACUUM in a worker thread and gives the freed space back', async () => {
    fill(400, 16 * 1024);
    t.store.checkpoint('TRUNCATE');
    const { service, next } = start({ kind: 'count', deliveries: 10 });
    await service.pruneNow();
    const done = next((status) => status.compaction?.state === 'done' || status.compaction?.state === 'failed');
    expect(service.compact().compaction).toMatchObject({ state: 'running' });
    expect(() => service.setRetention({ kind: 'all' })).toThrow('The database is being compacted; change the policy when that has finished.');

    const status = await done;
    expect(status.compaction).toMatchObject({ state: 'done', bytesBefore: expect.any(Number), bytesAfter: expect.any(Number), ranOn: 'worker' });
    if (status.compaction?.state !== 'done') throw new Error('not done');
    expect(status.compaction.bytesAfter).toBeLessThan(status.compaction.bytesBefore / 4);
    expect(status.bytes).toBe(status.compaction.bytesAfter);
    // Ids, links and the search index come through intact.
    expect(t.store.deliveries.list({ text: 'positive' })).toHaveLength(10);
    const retry = await t.store.writeDelivery(newDelivery({ eventId: 'evt_fill_0' }));
    expect(retry).toMatchObject({ duplicateOf: 1, deliveryNumber: 2, id: 401 });
  });
});

describe('its timers', () => {
  it('a timer whose work fails (the size poll) is said once, backs off, and says when it works again', async () => {
    let failing = false;
    let polls = 0;
    const reports: [string, string | null][] = [];
    const store = {
      file: t.store.file,
      retention: t.store.retention,
      settings: t.store.settings,
      compact: t.store.compact,
      size: () => {
        polls++;
        if (failing) throw new Error('EIO: i/o error, stat');
        return t.store.size();
      },
    };
    service = createStorageService({
      store,
      clock: () => NOW,
      onChange: () => undefined,
      onPruned: () => undefined,
      sizeEveryMs: 40,
      pruneEveryMs: 60_000,
      supervisor: createSupervisor({ onProblem: (task, problem) => void reports.push([task, problem?.message ?? null]) }),
    });
    service.start();
    failing = true;
    const before = polls;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    // At a fixed 40 ms it would have polled ~25 times; backing off (40, 80, 160, 320, 640 ms) ~5.
    expect(polls - before).toBeLessThan(10);
    expect(reports).toEqual([['database size', 'EIO: i/o error, stat']]);
    failing = false;
    await expect.poll(() => reports.at(-1), { timeout: 3_000 }).toEqual(['database size', null]);
  });
});
