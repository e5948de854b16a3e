import { useEffect, useState } from 'react';
import { useApp } from './context';
import { relayLabel } from '../lib/relay-text';

/** Settings → Team relay: follow the team's `hooklens relay` (its URL and your token). */
export function RelaySection() {
  const settings = useApp((s) => s.relaySettings);
  const relay = useApp((s) => s.status?.relay);
  const save = useApp((s) => s.saveRelaySettings);
  const [url, setUrl] = useState(settings?.url ?? '');
  const [token, setToken] = useState('');
  useEffect(() => setUrl(settings?.url ?? ''), [settings?.url]);
  const source = settings?.tokenSource ?? null;
  // Saving needs a token of its own: one given to hooklens serve for this run is not saved.
  const haveToken = token.trim() !== '' || source === 'saved';
  return (
    <section id="settings-relay" aria-label="Team relay">
      <h3>Team relay</h3>
      <p className="muted">
        Your team's always-on Hooklens (<span className="mono">hooklens relay</span>) is its one ReviewSense endpoint; follow it and every delivery it
        receives arrives here too, verified with your secrets and forwarded like any other, each once, even after this app was closed.
      </p>
      <form
        className="stacked-form"
        onSubmit={async (event) => {
          event.preventDefault();
          if (await save({ url: url.trim(), ...(token.trim() ? { token: token.trim() } : {}) })) setToken('');
        }}
      >
        <input aria-label="Relay URL" placeholder="https://relay.example.com" value={url} onChange={(e) => setUrl(e.target.value)} size={34} />
        <input
          type="password"
          autoComplete="off"
          aria-label="Relay token"
          placeholder={source === 'saved' ? 'token saved (paste a new one to replace it)' : 'your token (hooklens relay token add NAME)'}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          size={34}
        />
        <div className="inline-form">
          <button type="submit" className="button small" disabled={!url.trim() || !haveToken}>
            Follow relay
          </button>
          {settings?.url && (
            <button type="button" className="button small" onClick={() => void save({ url: null })}>
              Stop following
            </button>
          )}
          {(source === 'saved' || source === 'unreadable') && (
            <button type="button" className="button small danger" onClick={() => void save({ url: null, token: null })}>
              Forget relay and token
            </button>
          )}
        </div>
      </form>
      <p className="muted" data-testid="relay-settings-state">
        {source === 'run'
          ? 'Following the relay given to hooklens serve (--relay) for this run.'
          : source === 'unreadable'
            ? 'A saved token cannot be opened here (saved by the other Hooklens app, or the OS keyring changed): paste it again.'
            : source === 'saved'
              ? 'A token is saved (encrypted; it is never shown again).'
              : 'No token yet: ask whoever runs the relay for one.'}
        {relay && relay.state !== 'off' ? ` ${relayLabel(relay)}.` : ''}
      </p>
      {relay?.message && (
        <p className={`notice${relay.state === 'refused' ? ' error' : ''}`} role={relay.state === 'refused' ? 'alert' : undefined}>
          {relay.message}
        </p>
      )}
    </section>
  );
}
