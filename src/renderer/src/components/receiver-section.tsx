import { useEffect, useState } from 'react';
import { useApp } from './context';

export function ReceiverSection() {
  const receiver = useApp((s) => s.status?.receiver);
  const save = useApp((s) => s.saveReceiver);
  const [port, setPort] = useState(String(receiver?.port ?? 8787));
  const [path, setPath] = useState(receiver?.path ?? '/hooks/reviewsense');
  // Only when the receiver really moves: status pushes must not wipe what the user is typing.
  useEffect(() => {
    if (receiver?.port !== undefined) setPort(String(receiver.port ?? ''));
  }, [receiver?.port]);
  useEffect(() => {
    if (receiver?.path !== undefined) setPath(receiver.path);
  }, [receiver?.path]);
  return (
    <section>
      <h3>Receiver</h3>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save(Number(port), path);
        }}
      >
        <label>
          Port <input aria-label="Receiver port" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} size={6} />
        </label>
        <label>
          Path <input aria-label="Receiver path" value={path} onChange={(e) => setPath(e.target.value)} />
        </label>
        <button type="submit" className="button small">
          Apply
        </button>
      </form>
      <p className="muted">Changing these moves the receiver (and the tunnel with it). Update the endpoint URL in the dashboard afterwards.</p>
    </section>
  );
}
