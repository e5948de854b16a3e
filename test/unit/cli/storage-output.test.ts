import { describe, expect, it } from 'vitest';
import { parseKeep } from '../../../src/main/cli/keep-option';
import { paint } from '../../../src/main/cli/output';
import { humanCompactionLine, humanPruneLine, humanRetentionLine, largeDatabaseNotice } from '../../../src/main/cli/storage-output';
import { LARGE_DATABASE_BYTES, type PruneResult, type StorageStatus } from '../../../src/shared/storage';

const plain = paint(false);
const status = (change: Partial<StorageStatus>): StorageStatus => ({
  revision: 1, dbFile: '/data/hooklens.db', bytes: 1000, retention: { kind: 'all' }, retentionSource: 'saved', pruning: false, lastPrune: null, compaction: null, ...change,
});
const pruned = (change: Partial<PruneResult>): PruneResult => ({ at: 0, policy: { kind: 'age', days: 30 }, deleted: 1234, keptQueued: 0, throughId: 1300, ms: 87, error: null, ...change });

describe('--keep', () => {
  it.each([
    ['30d', { kind: 'age', days: 30 }],
    ['1d', { kind: 'age', days: 1 }],
    ['4w', { kind: 'age', days: 28 }],
    ['100000', { kind: 'count', deliveries: 100_000 }],
    ['ALL', { kind: 'all' }],
    [' 7D ', { kind: 'age', days: 7 }],
  ])('reads %s', (value, policy) => {
    expect(parseKeep(value)).toEqual(policy);
  });

  it.each(['', 'd', '30 d', '30h', '1e5', '100k', '-1', '0w', '36501d', '1000000001'])('refuses "%s"', (value) => {
    expect(() => parseKeep(value)).toThrow(/^--keep /);
  });
});

describe("serve's lines about the database", () => {
  it('says what a prune deleted, and what it kept for the forward queue', () => {
    expect(humanPruneLine(pruned({}), plain)).toBe('hooklens: kept the newest 30 days: deleted 1,234 older deliveries in 87 ms.');
    expect(humanPruneLine(pruned({ deleted: 1, keptQueued: 1, policy: { kind: 'count', deliveries: 1 } }), plain)).toBe(
      'hooklens: kept the newest 1 delivery: deleted 1 older delivery in 87 ms; 1 older one waits in the forward queue and is kept until forwarded.',
    );
    expect(humanPruneLine(pruned({ keptQueued: 3 }), plain)).toContain('; 3 older ones wait in the forward queue and are kept until forwarded.');
    expect(humanPruneLine(pruned({ deleted: 2000, error: 'the database was locked' }), plain)).toBe('hooklens: pruning stopped (the database was locked); deleted 2,000 older deliveries so far.');
  });

  it('says what the run keeps and where that comes from; nothing when it keeps everything', () => {
    expect(humanRetentionLine(status({}))).toBeNull();
    expect(humanRetentionLine(status({ retention: { kind: 'count', deliveries: 100_000 }, retentionSource: 'run' }))).toBe('hooklens: keeping the newest 100,000 deliveries (--keep).');
    expect(humanRetentionLine(status({ retention: { kind: 'age', days: 1 } }))).toBe('hooklens: keeping the newest day (saved in Settings → Data; --keep all keeps everything for a run).');
  });

  it('warns past 1 GiB only while everything is kept', () => {
    expect(largeDatabaseNotice(status({ bytes: LARGE_DATABASE_BYTES }))).toBeNull();
    expect(largeDatabaseNotice(status({ bytes: LARGE_DATABASE_BYTES + 1 }))).toMatch(/^hooklens: the database is 1(\.0)? GiB and keeps every delivery\. Keep less with --keep 30d/);
    expect(largeDatabaseNotice(status({ bytes: 5 * LARGE_DATABASE_BYTES, retention: { kind: 'age', days: 30 } }))).toBeNull();
  });

  it('tells a compaction started from the UI as it starts and ends', () => {
    const running = { state: 'running', startedAt: 0, bytesBefore: 3 * 1024 * 1024 } as const;
    expect(humanCompactionLine(null, running)).toBe('hooklens: compacting the database (3 MiB); deliveries arriving meanwhile are answered 503 and ReviewSense retries them.');
    expect(humanCompactionLine(running, running)).toBeNull();
    expect(humanCompactionLine(running, { state: 'done', at: 1, bytesBefore: 3 * 1024 * 1024, bytesAfter: 1024 * 1024, ms: 2500, ranOn: 'worker' })).toBe(
      'hooklens: compacted the database: 3 MiB → 1 MiB in 2.5 s.',
    );
    expect(humanCompactionLine(running, { state: 'failed', at: 1, message: 'Not enough disk space.' })).toBe('hooklens: compaction failed: Not enough disk space.');
  });
});
