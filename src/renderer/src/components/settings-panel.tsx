import { useEffect, useState, type FormEvent } from 'react';
import type { SecretInfo } from '../../../shared/api';
import { DEFAULT_RESPONSE, type ResponseConfig } from '../../../shared/response-config';
import { DELIVERY_DEADLINE_MS } from '../../../shared/reviewsense/catalogue';
import { retryDelaysText } from '../../../shared/reviewsense/retry-schedule';
import { useApp } from './context';

function SecretRow({ secret }: { secret: SecretInfo }) {
  const relabel = useApp((s) => s.relabelSecret);
  const setRetired = useApp((s) => s.setSecretRetired);
  const remove = useApp((s) => s.removeSecret);
  const [label, setLabel] = useState(secret.label);
  useEffect(() => setLabel(secret.label), [secret.label]);
  const editable = secret.source === 'stored';
  return (
    <tr className={secret.retired ? 'retired' : ''}>
      <td>
        {editable ? (
          <input aria-label="Secret label" value={label} onChange={(e) => setLabel(e.target.value)} onBlur={() => label !== secret.label && label.trim() && void relabel(secret.id, label)} />
        ) : (
          secret.label
        )}
      </td>
      <td className="mono">{secret.fingerprint}</td>
      <td>{secret.source === 'runtime' ? 'this run only' : secret.retired ? 'retired (diagnosis only)' : 'active'}</td>
      <td>
        {editable && (
          <>
            <button type="button" className="button small" onClick={() => void setRetired(secret.id, !secret.retired)}>
              {secret.retired ? 'Reactivate' : 'Retire'}
            </button>{' '}
            <button type="button" className="button small danger" onClick={() => void remove(secret.id)}>
              Remove
            </button>
          </>
        )}
      </td>
    </tr>
  );
}

function SecretsSection() {
  const secrets = useApp((s) => s.secrets);
  const storage = useApp((s) => s.status?.secretStorage);
  const addSecret = useApp((s) => s.addSecret);
  const rotateSecret = useApp((s) => s.rotateSecret);
  const [label, setLabel] = useState('current');
  const [value, setValue] = useState('');
  const [rotated, setRotated] = useState('');
  return (
    <section>
      <h3>Signing secrets</h3>
      <p className="muted">
        Every delivery is checked against all active secrets, so both the old and the new secret verify while you rotate. Values are never shown again; a
        fingerprint tells them apart. {storage?.description}
      </p>
      <table className="list">
        <thead>
          <tr>
            <th>Label</th>
            <th>Fingerprint</th>
            <th>State</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {secrets.map((secret) => (
            <SecretRow key={secret.id} secret={secret} />
          ))}
          {secrets.length === 0 && (
            <tr>
              <td colSpan={4} className="muted">
                No secret yet: deliveries are recorded as “unchecked”.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <form
        className="inline-form"
        onSubmit={async (event: FormEvent) => {
          event.preventDefault();
          if (await addSecret(label, value)) setValue('');
        }}
      >
        <input aria-label="New secret label" value={label} onChange={(e) => setLabel(e.target.value)} />
        <input type="password" autoComplete="off" aria-label="New secret value" placeholder="whsec_…" value={value} onChange={(e) => setValue(e.target.value)} />
        <button type="submit" className="button small" disabled={!value.trim() || !label.trim()}>
          Add secret
        </button>
      </form>
      <form
        className="inline-form"
        onSubmit={async (event: FormEvent) => {
          event.preventDefault();
          if (await rotateSecret(rotated)) setRotated('');
        }}
      >
        <input type="password" autoComplete="off" aria-label="Rotated secret value" placeholder="New secret after rotating in the dashboard" value={rotated} onChange={(e) => setRotated(e.target.value)} />
        <button type="submit" className="button small" disabled={!rotated.trim()} title="The new secret becomes “current”; the old one stays active as “previous”">
          Rotate
        </button>
      </form>
    </section>
  );
}

function TunnelSection() {
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

function ReceiverSection() {
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

function ResponseSection() {
  const response = useApp((s) => s.response);
  const save = useApp((s) => s.saveResponse);
  const [draft, setDraft] = useState<ResponseConfig>(response ?? DEFAULT_RESPONSE);
  useEffect(() => {
    if (response) setDraft(response);
  }, [response]);
  return (
    <section>
      <h3>Response</h3>
      <form
        className="stacked-form"
        onSubmit={(event) => {
          event.preventDefault();
          void save(draft);
        }}
      >
        <label>
          Status <input aria-label="Response status" inputMode="numeric" size={4} value={draft.status} onChange={(e) => setDraft({ ...draft, status: Number(e.target.value) })} />
        </label>
        <label>
          Delay (ms) <input aria-label="Response delay" inputMode="numeric" size={6} value={draft.delayMs} onChange={(e) => setDraft({ ...draft, delayMs: Number(e.target.value) })} />
        </label>
        <label>
          Body{' '}
          <input
            aria-label="Response body"
            placeholder="default: a JSON acknowledgement"
            value={draft.body ?? ''}
            onChange={(e) => setDraft({ ...draft, body: e.target.value === '' ? null : e.target.value, contentType: e.target.value === '' ? DEFAULT_RESPONSE.contentType : 'text/plain; charset=utf-8' })}
          />
        </label>
        <label>
          <input type="checkbox" checked={draft.strict} onChange={(e) => setDraft({ ...draft, strict: e.target.checked })} /> Strict: answer 401 to signatures that are not valid
        </label>
        <button type="submit" className="button small">
          Apply
        </button>
      </form>
      {draft.delayMs >= DELIVERY_DEADLINE_MS && (
        <p className="notice warn">ReviewSense gives up after {DELIVERY_DEADLINE_MS / 1000} s: with this delay every delivery counts as failed and is retried.</p>
      )}
      <p className="muted">
        ReviewSense counts a 2xx within {DELIVERY_DEADLINE_MS / 1000} s as delivered; anything else starts its retry schedule ({retryDelaysText()}).
      </p>
    </section>
  );
}

function DataSection() {
  const dbFile = useApp((s) => s.status?.dbFile);
  const total = useApp((s) => s.status?.counts.total ?? 0);
  const clearAll = useApp((s) => s.clearAll);
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
              await clearAll();
              setConfirming(false);
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
    </section>
  );
}

export function SettingsPanel() {
  const open = useApp((s) => s.settingsOpen);
  const openSettings = useApp((s) => s.openSettings);
  const error = useApp((s) => s.settingsError);
  if (!open) return null;
  return (
    <aside className="settings" role="dialog" aria-label="Settings">
      <header>
        <h2>Settings</h2>
        <button type="button" className="button small" onClick={() => openSettings(false)}>
          Close
        </button>
      </header>
      {error && <p className="notice error" role="alert">{error}</p>}
      <SecretsSection />
      <TunnelSection />
      <ReceiverSection />
      <ResponseSection />
      <DataSection />
    </aside>
  );
}
