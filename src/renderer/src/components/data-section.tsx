import { useState } from 'react';
import { useApp } from './context';

export function DataSection() {
  const dbFile = useApp((s) => s.status?.dbFile);
  const total = useApp((s) => s.status?.counts.total ?? 0);
  const clearAll = useApp((s) => s.clearAll);
  const error = useApp((s) => s.clearError);
  const [confirming, setConfirming] = useState(false);
  return (
    <section>
      <h3>Data</h3>
      <p className="muted">
        {total} deliveries in <span className="mono">{dbFile}</span>
      </p>
      {confirming ? (
        <div className="inline-form">
          <span>Delete all {total} deliveries? This cannot be undone.</span>
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
