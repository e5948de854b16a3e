import { useEffect, useState } from 'react';
import { useApp } from './context';

export function TunnelSection() {
  const settings = useApp((s) => s.tunnelSettings);
  const save = useApp((s) => s.saveTunnelSettings);
  const [token, setToken] = useState('');
  const [domain, setDomain] = useState(settings?.domain ?? '');
  useEffect(() => setDomain(settings?.domain ?? ''), [settings?.domain]);
  const source = settings?.tokenSource;
  return (
    <section>
      <h3>Tunnel (ngrok)</h3>
      <p className="muted">
        {source === 'environment'
          ? 'Using the authtoken from NGROK_AUTHTOKEN.'
          : source === 'saved'
            ? 'An authtoken is saved (encrypted; it is never shown again).'
            : source === 'unreadable'
              ? 'A saved authtoken cannot be opened here (saved by the other Hooklens app, or the OS keyring changed): paste it again.'
              : 'No authtoken yet: get yours (free) at dashboard.ngrok.com/get-started/your-authtoken.'}
      </p>
      <form
        className="inline-form"
        onSubmit={async (event) => {
          event.preventDefault();
          if (await save({ authtoken: token })) setToken('');
        }}
      >
        <input type="password" autoComplete="off" aria-label="ngrok authtoken" placeholder="ngrok authtoken" value={token} onChange={(e) => setToken(e.target.value)} />
        <button type="submit" className="button small" disabled={!token.trim()}>
          Save token
        </button>
        {(source === 'saved' || source === 'unreadable') && (
          <button type="button" className="button small danger" onClick={() => void save({ authtoken: null })}>
            Forget token
          </button>
        )}
      </form>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save({ domain: domain.trim() === '' ? null : domain });
        }}
      >
        <input aria-label="Reserved domain" placeholder="reserved domain (optional), e.g. my-app.ngrok.app" value={domain} onChange={(e) => setDomain(e.target.value)} size={34} />
        <button type="submit" className="button small">
          Save domain
        </button>
      </form>
      <p className="muted">A reserved domain keeps the webhook URL the same across runs, so the dashboard endpoint never needs updating.</p>
    </section>
  );
}
