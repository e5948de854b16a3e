import { useEffect, useState, type FormEvent } from 'react';
import type { SecretInfo } from '../../../shared/api';
import { newSecretLabel } from '../lib/secret-label';
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

export function SecretsSection() {
  const secrets = useApp((s) => s.secrets);
  const storage = useApp((s) => s.status?.secretStorage);
  const addSecret = useApp((s) => s.addSecret);
  const rotateSecret = useApp((s) => s.rotateSecret);
  // Suggested until typed in, and again after each secret added.
  const [typedLabel, setTypedLabel] = useState<string | null>(null);
  const label = typedLabel ?? newSecretLabel(secrets);
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
            <th>
              <span className="visually-hidden">Actions</span>
            </th>
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
          if (await addSecret(label, value)) {
            setValue('');
            setTypedLabel(null);
          }
        }}
      >
        <input aria-label="New secret label" value={label} onChange={(e) => setTypedLabel(e.target.value)} />
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
