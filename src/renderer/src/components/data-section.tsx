import { useState } from 'react';
import { formatBytes } from '../lib/format';
import { CompactionControl } from './compaction-control';
import { useApp } from './context';
import { RetentionForm } from './retention-form';
import { plural } from '../../../shared/plural';

export function DataSection() {
  const dbFile = useApp((s) => s.status?.dbFile);
  const total = useApp((s) => s.status?.counts.total ?? 0);
  const storage = useApp((s) => s.storage);
  const storageError = useApp((s) => s.storageError);
  const clearAll = useApp((s) => s.clearAll);
  const error = useApp((s) => s.clearError);
  const [confirming, setConfirming] = useState(false);
  return (
    <section id="settings-data" aria-label="Data">
      <h3>Data</h3>
      <p className="muted">
        {plural(total, 'delivery', 'deliveries')} in <span className="mono">{dbFile}</span>
        {storage && (
          <>
            {' '}
            · <span data-testid="data-size">{formatBytes(storage.bytes)}</span> on disk (the file and its write-ahead log)
          </>
        )}
      </p>
      {storage && <RetentionForm storage={storage} />}
      {storage && <CompactionControl storage={storage} />}
      {storageError && (
        <p className="notice error" role="alert">
          {storageError}
        </p>
      )}
      {confirming ? (
        <div className="inline-form">
          <span>{total === 1 ? 'Delete the 1 delivery?' : `Delete all ${plural(total, 'delivery', 'deliveries')}?`} This cannot be undone.</span>
          <button
            type="button"
            className="button small danger"
            onClick={async () => {
              // On failure the question stays, with the reason under it.
              if (await clearAll()) setConfirming(false);
            }}
          >
            Delete all
          </button>
          <button type="button" className="button small" onClick={() => setConfirming(false)}>
            Keep them
          </button>
        </div>
      ) : (
        <button type="button" className="button small danger" disabled={total === 0} onClick={() => setConfirming(true)}>
          Delete all deliveries…
        </button>
      )}
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
