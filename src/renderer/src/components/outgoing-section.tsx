import { useState } from 'react';
import { useApp } from './context';

/** Hosts that sends, replays and forwards may reach beyond loopback. */
export function OutgoingSection() {
  const outgoing = useApp((s) => s.outgoing);
  const save = useApp((s) => s.saveAllowedHosts);
  const error = useApp((s) => s.hostsError);
  const [host, setHost] = useState('');
  const saved = outgoing?.allowHosts ?? [];
  const forRun = outgoing?.runAllowHosts ?? [];
  return (
    <section id="settings-outgoing" aria-label="Outgoing">
      <h3>Outgoing</h3>
      <p className="muted">
        Test events, replays and forwards go only to this machine (localhost, 127.0.0.1, ::1) unless you allow a host here. A forged or replayed event
        carries a valid signature, so Hooklens posts one only where you said it may, and a pasted URL cannot make it reach into your network.
        Hooklens' own control port is never a target.
      </p>
      <ul className="host-list">
        {saved.map((entry) => (
          <li key={entry}>
            <span className="mono">{entry}</span>
            <span className="muted">saved</span>
            <button type="button" className="button small danger" onClick={() => void save(saved.filter((other) => other !== entry))}>
              Remove
            </button>
          </li>
        ))}
        {forRun.map((entry) => (
          <li key={`run-${entry}`}>
            <span className="mono">{entry}</span>
            <span className="muted">this run only (--allow-host)</span>
          </li>
        ))}
        {saved.length + forRun.length === 0 && <li className="muted">Loopback only.</li>}
      </ul>
      <form
        className="inline-form"
        onSubmit={async (event) => {
          event.preventDefault();
          if (await save([...saved, host.trim()])) setHost('');
        }}
      >
        <input aria-label="Allowed host" placeholder="staging.example.com" value={host} onChange={(event) => setHost(event.target.value)} spellCheck={false} />
        <button type="submit" className="button small" disabled={!host.trim()}>
          Allow host
        </button>
      </form>
      {error && (
        <p className="notice error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
