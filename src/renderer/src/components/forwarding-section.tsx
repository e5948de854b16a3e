import { useEffect, useState } from 'react';
import type { ForwardingStatus } from '../../../shared/outgoing';
import { clockTime } from '../lib/format';
import { useApp } from './context';
import { TargetField } from './target-field';
import { recentTargetsOf } from '../store/forwarding-slice';

function ForwardQueue({ forwarding }: { forwarding: ForwardingStatus }) {
  const drop = useApp((s) => s.dropQueuedForward);
  const clear = useApp((s) => s.clearForwardQueue);
  const retry = useApp((s) => s.retryForwardQueue);
  const { count, nextTryAt, items } = forwarding.queue;
  if (count === 0) return <p className="muted" data-testid="forward-queue">Queue: nothing waiting.</p>;
  return (
    <div data-testid="forward-queue">
      <p>
        Queue: <strong>{count}</strong> waiting{nextTryAt !== null ? ` · next try at ${clockTime(nextTryAt)}` : ''}
        {count > items.length ? ` (the oldest ${items.length} shown)` : ''}
      </p>
      <table className="list forward-queue">
        <tbody>
          {items.map((item) => (
            <tr key={item.deliveryId}>
              <td>#{item.deliveryId}</td>
              <td className="mono">{clockTime(item.queuedAt)}</td>
              <td>
                {item.tries} tr{item.tries === 1 ? 'y' : 'ies'}
              </td>
              <td className="error-text">{item.lastError}</td>
              <td>
                <button type="button" className="button small danger" onClick={() => void drop(item.deliveryId)} title={`Stop forwarding delivery #${item.deliveryId}`}>
                  Drop
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="inline-form">
        <button type="button" className="button small" onClick={() => void retry()}>
          Retry now
        </button>
        <button type="button" className="button small danger" onClick={() => void clear()}>
          Drop all
        </button>
      </div>
    </div>
  );
}

/** Forward every captured delivery to your app, byte-exact; the queue for when it is down. */
export function ForwardingSection() {
  const forwarding = useApp((s) => s.forwarding);
  const save = useApp((s) => s.saveForwarding);
  const error = useApp((s) => s.forwardingError);
  const recent = useApp(recentTargetsOf);
  const [target, setTarget] = useState(forwarding?.target ?? '');
  // Only when the saved target changes: a pushed queue update must not wipe what is being typed.
  useEffect(() => setTarget(forwarding?.target ?? ''), [forwarding?.target]);
  // The boxes follow a click at once; a refused change puts them back (the reason shows below).
  const [switches, setSwitches] = useState({ enabled: forwarding?.enabled ?? false, mirror: forwarding?.mirror ?? false });
  useEffect(() => setSwitches({ enabled: forwarding?.enabled ?? false, mirror: forwarding?.mirror ?? false }), [forwarding?.enabled, forwarding?.mirror]);
  const { enabled, mirror } = switches;
  const apply = async (change: { enabled?: boolean; mirror?: boolean }) => {
    const next = { enabled, mirror, ...change };
    setSwitches(next);
    if (!(await save({ ...next, target: target.trim() || null }))) setSwitches({ enabled: forwarding?.enabled ?? false, mirror: forwarding?.mirror ?? false });
  };
  return (
    <section id="settings-forwarding" aria-label="Forwarding">
      <h3>Forwarding</h3>
      <p className="muted">
        Every captured delivery is also sent to your app, byte-exact with its original headers and signature, so your handler verifies it as it would
        from ReviewSense. The app's answer shows in the feed's Out column and the delivery's Attempts.
      </p>
      <form
        className="inline-form fields"
        onSubmit={(event) => {
          event.preventDefault();
          void apply({});
        }}
      >
        <TargetField value={target} onChange={setTarget} recent={recent} placeholder="http://localhost:3000/webhooks" />
        <button type="submit" className="button small">
          Save target
        </button>
      </form>
      <div className="stacked-form forward-switches">
        <label>
          <input type="checkbox" checked={enabled} onChange={(event) => void apply({ enabled: event.target.checked })} /> Forwarding on
        </label>
        <label>
          <input type="checkbox" checked={mirror} onChange={(event) => void apply({ mirror: event.target.checked })} /> Mirror: answer ReviewSense with your app's status
          and body (502 when it cannot be reached)
        </label>
      </div>
      {forwarding && <ForwardQueue forwarding={forwarding} />}
      <p className="muted">
        When your app refuses the connection (a restart, a hot reload), deliveries wait in the queue and go out in arrival order once it answers. With
        mirror on nothing waits: ReviewSense gets the 502 and retries by itself.
      </p>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
