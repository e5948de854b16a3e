/** The storage contract's types and words, without zod (the renderer's first script reads them); the check is `retention-schema.ts`. */
import { formatCount } from './plural';
import type { Revised } from './revision';

export const MAX_RETENTION_DAYS = 36_500;
export const MAX_RETENTION_DELIVERIES = 1_000_000_000;

/** How many deliveries the database keeps: everything (the default), the newest N days, or the newest N. */
export type RetentionPolicy = { kind: 'all' } | { kind: 'age'; days: number } | { kind: 'count'; deliveries: number };

export const KEEP_EVERYTHING: RetentionPolicy = { kind: 'all' };

/** Past this size a database that keeps everything says so (once), pointing to Settings → Data. */
export const LARGE_DATABASE_BYTES = 1024 ** 3;

/** What one pruning run did. */
export interface PruneResult {
  at: number;
  policy: RetentionPolicy;
  deleted: number;
  /** Older than the policy but still waiting in the forward queue: kept until forwarded or dropped. */
  keptQueued: number;
  /** The highest id deleted (0 when none): a list holding ids up to it is out of date. */
  throughId: number;
  ms: number;
  /** Why the run stopped before it was done (the database was locked); null when it finished. */
  error: string | null;
}

export type CompactionStatus =
  | { state: 'running'; startedAt: number; bytesBefore: number }
  /** `main-thread`: no worker thread could load SQLite, so capture waited for it. */
  | { state: 'done'; at: number; bytesBefore: number; bytesAfter: number; ms: number; ranOn: CompactedOn }
  | { state: 'failed'; at: number; message: string };

/** The database as Settings → Data and the status bar show it; `revision` grows with every change (revision.ts). */
export interface StorageStatus extends Revised {
  dbFile: string;
  /** The database file plus its write-ahead log, in bytes. */
  bytes: number;
  /** The policy in force. */
  retention: RetentionPolicy;
  /** `run`: given for this run only (`serve --keep`), not saved; `saved`: chosen in Settings, or the default. */
  retentionSource: 'run' | 'saved';
  pruning: boolean;
  lastPrune: PruneResult | null;
  compaction: CompactionStatus | null;
}

/** "everything", "the newest 30 days", "the newest 100,000 deliveries". */
export function describeRetention(policy: RetentionPolicy): string {
  if (policy.kind === 'all') return 'everything';
  if (policy.kind === 'age') return `the newest ${policy.days === 1 ? 'day' : `${formatCount(policy.days)} days`}`;
  return `the newest ${formatCount(policy.deliveries)} deliver${policy.deliveries === 1 ? 'y' : 'ies'}`;
}

/** Where a compaction ran: a worker thread, or the main thread when no worker could load SQLite. */
export type CompactedOn = 'worker' | 'main-thread';

/** Whether the 1 GiB notice applies (keeping everything, and past the mark); the UI and the CLI say it. */
export function isLargeAndKeepingEverything(status: Pick<StorageStatus, 'retention' | 'bytes'>): boolean {
  return status.retention.kind === 'all' && status.bytes > LARGE_DATABASE_BYTES;
}
