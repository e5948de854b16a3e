import { formatBytes } from '../../shared/format';
import { plural } from '../../shared/plural';
import { describeRetention, isLargeAndKeepingEverything, type PruneResult, type StorageStatus } from '../../shared/storage';
import type { JsonLine, paint } from './output';

/** What prints storage lines: `serve`'s Inspector, or the relay. */
interface StorageSource {
  on(event: 'prune', listener: (result: PruneResult) => void): unknown;
  on(event: 'storage', listener: (status: StorageStatus) => void): unknown;
  getStorage(): StorageStatus;
}

/**
 * `serve`'s (and the relay's) lines about the database: each prune (JSON and human), compactions started from the
 * UI, and the 1 GiB notice once a run. `atStart` says what this run keeps once it is listening.
 */
export function watchStorage(
  inspector: StorageSource,
  out: { human: (line: string) => void; json: (line: JsonLine) => void; colour: ReturnType<typeof paint> },
) {
  let saidLarge = false;
  const sayIfLarge = (status: StorageStatus): void => {
    const notice = largeDatabaseNotice(status);
    if (notice && !saidLarge) out.human(out.colour('yellow', notice));
    saidLarge ||= notice !== null;
  };
  let compaction = inspector.getStorage().compaction;
  inspector.on('prune', (result) => {
    out.json(pruneLine(result));
    out.human(humanPruneLine(result, out.colour));
  });
  inspector.on('storage', (status) => {
    sayIfLarge(status);
    const line = humanCompactionLine(compaction, status.compaction);
    if (line) out.human(line);
    compaction = status.compaction;
  });
  return {
    atStart(): void {
      const status = inspector.getStorage();
      const keeping = humanRetentionLine(status);
      if (keeping) out.human(keeping);
      sayIfLarge(status);
    },
  };
}

function pruneLine(result: PruneResult): JsonLine {
  return { event: 'prune', policy: result.policy, deleted: result.deleted, keptQueued: result.keptQueued, ms: result.ms, error: result.error };
}

/** "hooklens: kept the newest 4 deliveries: deleted 6 older ones in 3 ms." */
export function humanPruneLine(result: PruneResult, colour: ReturnType<typeof paint>): string {
  const deleted = `deleted ${plural(result.deleted, 'older delivery', 'older deliveries')}`;
  const queued =
    result.keptQueued === 0 ? '' : result.keptQueued === 1 ? '; 1 older one waits in the forward queue and is kept until forwarded' : `; ${plural(result.keptQueued, '', 'older ones')} wait in the forward queue and are kept until forwarded`;
  if (result.error !== null) return colour('yellow', `hooklens: pruning stopped (${result.error}); ${deleted} so far.`);
  return `hooklens: kept ${describeRetention(result.policy)}: ${deleted} in ${result.ms} ms${queued}.`;
}

/** What this run keeps, said once at start; nothing when it keeps everything (the default). */
export function humanRetentionLine(status: StorageStatus): string | null {
  if (status.retention.kind === 'all') return null;
  const from = status.retentionSource === 'run' ? '--keep' : 'saved in Settings → Data; --keep all keeps everything for a run';
  return `hooklens: keeping ${describeRetention(status.retention)} (${from}).`;
}

/** Past 1 GiB while keeping everything: said once a run, with what to do about it. */
export function largeDatabaseNotice(status: StorageStatus): string | null {
  if (!isLargeAndKeepingEverything(status)) return null;
  return `hooklens: the database is ${formatBytes(status.bytes)} and keeps every delivery. Keep less with --keep 30d (or --keep 100000), or in Settings → Data, then Compact there to give the space back.`;
}

/**
 * A compaction started from the browser UI, in the terminal's words: while it runs, the
 * "cannot save deliveries" lines that follow are its doing, not another process's.
 */
export function humanCompactionLine(previous: StorageStatus['compaction'], current: StorageStatus['compaction']): string | null {
  if (!current || current.state === previous?.state) return null;
  if (current.state === 'running') return `hooklens: compacting the database (${formatBytes(current.bytesBefore)}); deliveries arriving meanwhile are answered 503 and ReviewSense retries them.`;
  if (current.state === 'done') return `hooklens: compacted the database: ${formatBytes(current.bytesBefore)} → ${formatBytes(current.bytesAfter)} in ${(current.ms / 1000).toFixed(1)} s.`;
  return `hooklens: compaction failed: ${current.message}`;
}
