import { useApp } from './context';

/** The signing secret to use, chosen by label; a note points to Settings when there is none. */
export function SecretSelect({ value, onChange }: { value: string | null; onChange: (secretId: string | null) => void }) {
  const secrets = useApp((s) => s.secrets);
  const openSettings = useApp((s) => s.openSettings);
  return (
    <>
      <label className="field">
        <span className="field-label">Secret</span>
        <select aria-label="Secret" value={value ?? ''} onChange={(event) => onChange(event.target.value || null)} disabled={secrets.length === 0}>
          {secrets.length === 0 && <option value="">No secret yet</option>}
          {secrets.map((secret) => (
            <option key={secret.id} value={secret.id}>
              {secret.label} ({secret.fingerprint}){secret.retired ? ' — retired' : ''}
            </option>
          ))}
        </select>
      </label>
      {secrets.length === 0 && (
        <p className="muted field-note">
          This signs as ReviewSense does, with the secret your handler verifies with:{' '}
          <button type="button" className="link" onClick={() => openSettings(true)}>
            add it in Settings
          </button>
          .
        </p>
      )}
    </>
  );
}
