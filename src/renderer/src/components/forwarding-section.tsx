import { useEffect, useState } from 'react';
import type { ForwardingStatus } from '../../../shared/outgoing';
import { clockTime } from '../lib/format';
import { useApp } from './context';
import { TargetField } from './target-field';
import { recentTargetsOf } from '../store/forwarding-slice';
import { plural } from '../../../shared/plural';

function ForwardQueue({ forwarding }: { forwarding: ForwardingStatus }) {
  const drop = useApp((s) => s.dropQueuedForward);
  const clear = useApp((s) => s.clearForwardQueue);
  const retry = useApp((s) => s.retryForwardQueue);
  const { count, nextTryAt, items } = forwarding.queue;
  const paused = forwarding.paused !== null && (
    <p className="notice error" role="alert" data-testid="forward-paused">
      Paused: {forwarding.paused} Every delivery is kept; the queue goes on when the target or the allowed hosts change, or on Retry now.
    </p>
  );
  if (count === 0)
    return (
      <div data-testid="forward-queue">
        {paused}
        <p className="muted">Queue: nothing waiting.</p>
      </div>
    );
  return (
    <div data-testid="forward-queue">
      {paused}
      <p>
        Queue: <strong>{count}</strong> waiting{nextTryAt !== null ? ` · next try at ${clockTime(nextTryAt)}` : ''}
        {count > items.length ? ` (the oldest ${items.length} shown)` : ''}
      </p>
      <table className="list forward-queue">
        <tbody>
          {items.map((item) => (
            <tr key={item.deliveryId}>
              <td>
                #{item.deliveryId}
                {item.deliveryId === forwarding.sending ? ' · sending now' : ''}
              </td>
              <td className="mono">{clockTime(item.queuedAt)}</td>
              <td>
                {plural(item.tries, 'try', 'tries')}
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
        Deliveries go to your app one at a time, in arrival order. Each is written to the queue with the delivery itself and leaves it once your app
        has answered (any status), so none is lost if Hooklens is stopped or killed; one on its way at that moment is sent again at the next start. When
        your app gives no answer (a restart, a hot reload, 10 s of silence) the queue waits and tries again. With mirror on nothing waits: ReviewSense
        gets the 502 and retries by itself.
      </p>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
