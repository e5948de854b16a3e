import { useEffect } from 'react';
import type { ComposerDraft, SendVariant } from '../store/composer-slice';
import { useApp } from './context';
import { receiverPlaceholder, TargetField } from './target-field';
import { recentTargetsOf } from '../store/forwarding-slice';
import { Digest } from './digest';

const VARIANTS: { value: SendVariant; label: string; needsSecret: boolean }[] = [
  { value: 'valid', label: 'valid — HMAC of the bytes sent', needsSecret: true },
  { value: 'invalid', label: 'invalid — made with another secret', needsSecret: false },
  { value: 'none', label: 'none — no signature header', needsSecret: false },
  { value: 'tampered', label: 'tampered — signed, then the body changed', needsSecret: true },
];
const NO_SECRET = '';
const PREVIEW_DEBOUNCE_MS = 250;

/** The signature the send would carry, computed by the core as the body is typed. */
export function SignaturePreviewLine({ draft }: { draft: ComposerDraft }) {
  const preview = useApp((s) => s.signaturePreview);
  const error = useApp((s) => s.previewError);
  const previewComposer = useApp((s) => s.previewComposer);
  const { body, secretId, variant } = draft;
  useEffect(() => {
    const timer = setTimeout(() => void previewComposer(), PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [body, secretId, variant, previewComposer]);
  return (
    // Not live: it changes as the body is typed, and a digest read out at every pause would drown the typing.
    <div className="signature-preview" data-testid="signature-preview">
      {error ? (
        <span className="error-text">{error}</span>
      ) : preview ? (
        <>
          <span className="mono">
            {preview.header}: <strong>{preview.value !== null && /^[0-9a-f]{64}$/.test(preview.value) ? <Digest value={preview.value} /> : (preview.value ?? '(not sent)')}</strong>
          </span>
          <span className="muted">{preview.note}</span>
        </>
      ) : (
        <span className="muted">Computing the signature…</span>
      )}
    </div>
  );
}

/** Target, secret and signature variant of a send or replay. */
export function SigningFields({ draft }: { draft: ComposerDraft }) {
  const secrets = useApp((s) => s.secrets);
  const recent = useApp(recentTargetsOf);
  const receiverUrl = useApp((s) => s.status?.receiver.url);
  const update = useApp((s) => s.updateComposer);
  const openSettings = useApp((s) => s.openSettings);
  return (
    <div className="composer-fields">
      <TargetField value={draft.target} onChange={(target) => update({ target })} recent={recent} placeholder={receiverPlaceholder(receiverUrl)} />
      <label className="field">
        <span className="field-label">Secret</span>
        <select aria-label="Secret" value={draft.secretId ?? NO_SECRET} onChange={(event) => update({ secretId: event.target.value === NO_SECRET ? null : event.target.value })}>
          {secrets.map((secret) => (
            <option key={secret.id} value={secret.id}>
              {secret.label} ({secret.fingerprint}){secret.retired ? ' — retired' : ''}
            </option>
          ))}
          <option value={NO_SECRET}>none</option>
        </select>
      </label>
      <label className="field">
        <span className="field-label">Signature</span>
        <select aria-label="Signature" value={draft.variant} onChange={(event) => update({ variant: event.target.value as SendVariant })}>
          {VARIANTS.map(({ value, label, needsSecret }) => (
            <option key={value} value={value} disabled={needsSecret && draft.secretId === null}>
              {label}
            </option>
          ))}
        </select>
      </label>
      {secrets.length === 0 && (
        <p className="muted field-note">
          No signing secret yet, so nothing can be signed.{' '}
          <button type="button" className="link" onClick={() => openSettings(true)}>
            Add one in Settings
          </button>{' '}
          (for a local test any value works, e.g. whsec_local_test).
        </p>
      )}
    </div>
  );
}
