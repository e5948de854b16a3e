import type { StorageStatus } from '../../../shared/storage';
import { clockTime, formatBytes } from '../lib/format';
import { useApp } from './context';

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** Compact (VACUUM): gives the space freed by deletions back to the disk. */
export function CompactionControl({ storage }: { storage: StorageStatus }) {
  const compact = useApp((s) => s.compact);
  const { compaction } = storage;
  const running = compaction?.state === 'running';
  return (
    <div className="compaction" data-testid="compaction">
      <p className="muted">
        Deleting frees room inside the file for new deliveries; <strong>Compact</strong> gives it back to the disk. It needs free space of up to twice
        the database's size while it runs. Deliveries arriving during compaction are answered 503 and ReviewSense retries them.
      </p>
      <div className="inline-form">
        {/* aria-disabled while it runs (not disabled): a disabled button drops its focus to the page. */}
        <button type="button" className="button small" aria-disabled={running} onClick={() => !running && void compact()}>
          {running ? 'Compacting…' : 'Compact'}
        </button>
        {compaction?.state === 'running' && (
          <span className="check-progress" role="status">
            <progress aria-label="Compacting" />
            Compacting {formatBytes(compaction.bytesBefore)} since {clockTime(compaction.startedAt)}…
          </span>
        )}
        {compaction?.state === 'done' && (
          <span role="status" data-testid="compaction-result">
            Compacted at {clockTime(compaction.at)}: {formatBytes(compaction.bytesBefore)} → {formatBytes(compaction.bytesAfter)} in {seconds(compaction.ms)}
            {compaction.ranOn === 'main-thread' ? ' (on the main thread: no worker thread could load SQLite here, so capture waited for it)' : ''}.
          </span>
        )}
        {compaction?.state === 'failed' && (
          <span className="error-text" role="alert">
            Compaction failed: {compaction.message}
          </span>
        )}
      </div>
    </div>
  );
}
