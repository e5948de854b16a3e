import { describeRetention } from '../../../shared/storage';
import { formatBytes } from '../lib/format';
import { useApp } from './context';

/** The status bar's database size; opens Settings → Data. */
export function StorageStatusItem() {
  const storage = useApp((s) => s.storage);
  const openSettings = useApp((s) => s.openSettings);
  if (!storage) return null;
  const compacting = storage.compaction?.state === 'running';
  return (
    <span className="status-item">
      <button
        type="button"
        className="link status-link"
        data-testid="db-size"
        title={`Database on disk (file and write-ahead log); keeps ${describeRetention(storage.retention)}. Settings → Data`}
        onClick={() => openSettings(true, 'data')}
      >
        {formatBytes(storage.bytes)}
        {compacting ? ' · compacting…' : storage.pruning ? ' · pruning…' : ''}
      </button>
    </span>
  );
}
