import { useState } from 'react';
import { newSecretLabel } from '../lib/secret-label';
import { useApp } from './context';
import { CopyButton } from './copy-button';

/** The spec's setup steps, done from here; shown until the first delivery arrives. */
export function FirstRunGuide() {
  const status = useApp((s) => s.status);
  const secrets = useApp((s) => s.secrets);
  const addSecret = useApp((s) => s.addSecret);
  const startTunnel = useApp((s) => s.startTunnel);
  const settingsError = useApp((s) => s.settingsError);
  const tunnelError = useApp((s) => s.tunnelError);
  const [secret, setSecret] = useState('');
  const [token, setToken] = useState('');
  const tunnelSettings = useApp((s) => s.tunnelSettings);
  const saveTunnelSettings = useApp((s) => s.saveTunnelSettings);
  const openComposer = useApp((s) => s.openComposer);
  if (!status) return null;
  const { tunnel } = status;
  const hasSecret = secrets.some((entry) => !entry.retired);
  // The core's one URL to paste: the tunnel's while online, else the local receiver's.
  const url = status.webhookUrl?.url ?? null;
  return (
    <section className="guide" aria-label="Getting started">
      <h2>Receive your first ReviewSense webhook</h2>
      <ol>
        <li className={tunnel.state === 'online' ? 'done' : ''}>
          <strong>Start the tunnel</strong> so ReviewSense can reach this machine over HTTPS.{' '}
          {tunnel.state !== 'online' && (
            <button type="button" className="button small" onClick={() => void startTunnel()}>
              Start tunnel
            </button>
          )}
          {tunnel.state === 'error' && <div className="error-text">{tunnel.message}</div>}
          {tunnelError && (
            <div className="error-text" role="alert">
              {tunnelError}
            </div>
          )}
          {(tunnelSettings?.tokenSource === null || tunnelSettings?.tokenSource === 'unreadable') && (
            <form
              className="inline-form"
              onSubmit={async (event) => {
                event.preventDefault();
                if (await saveTunnelSettings({ authtoken: token })) setToken('');
              }}
            >
              <input type="password" autoComplete="off" placeholder="ngrok authtoken" aria-label="ngrok authtoken" value={token} onChange={(event) => setToken(event.target.value)} />
              <button type="submit" className="button small" disabled={token.trim() === ''}>
                Save token
              </button>
              <span className="muted">from dashboard.ngrok.com/get-started/your-authtoken</span>
            </form>
          )}
        </li>
        <li>
          <strong>Copy the webhook URL</strong> into Dashboard → ReviewSense → Webhooks → Add Endpoint, choose the events, and Save Endpoint.
          <div className="guide-url">
            <span className="mono">{url ?? '…'}</span> <CopyButton text={url} label="Copy" />
          </div>
          {tunnel.state !== 'online' && <div className="muted">Without a tunnel this is a local address: fine for curl and your own tests, not for ReviewSense.</div>}
        </li>
        <li className={hasSecret ? 'done' : ''}>
          <strong>Paste the signing secret</strong> the dashboard shows once after saving.
          {!hasSecret && (
            <form
              className="inline-form"
              onSubmit={async (event) => {
                event.preventDefault();
                if (await addSecret(newSecretLabel(secrets), secret)) setSecret('');
              }}
            >
              <input type="password" autoComplete="off" placeholder="whsec_…" aria-label="Signing secret" value={secret} onChange={(event) => setSecret(event.target.value)} />
              <button type="submit" className="button small" disabled={secret.trim() === ''}>
                Save secret
              </button>
            </form>
          )}
          {settingsError && (
            <div className="error-text" role="alert">
              {settingsError}
            </div>
          )}
        </li>
        <li>
          <strong>Send a test event</strong>, no ReviewSense needed:{' '}
          <button type="button" className="button small accent" onClick={() => void openComposer()}>
            Send a test event
          </button>{' '}
          signs one{hasSecret ? ' with your secret' : ''} and posts it to Hooklens' own receiver; it shows up here at once.
          <div className="muted">
            {hasSecret ? '' : 'Without a secret it goes unsigned: for a local try, any value works above (e.g. whsec_local_test). '}
            From ReviewSense: Dashboard → ReviewSense → Webhooks → your endpoint → Send Test Event.
          </div>
        </li>
      </ol>
    </section>
  );
}
