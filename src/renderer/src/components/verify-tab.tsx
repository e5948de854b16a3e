import { useMemo } from 'react';
import type { DeliveryView } from '../../../shared/api';
import { SNIPPET_LANGUAGES, verificationSnippet } from '../../../shared/verify-snippets';
import { useApp } from './context';
import { CopyButton } from './copy-button';

/** Code that verifies this delivery's signature the right way, with its own body and header. */
export function VerifyTab({ view }: { view: DeliveryView }) {
  const language = useApp((s) => s.verifyLanguage);
  const setLanguage = useApp((s) => s.setVerifyLanguage);
  const { delivery } = view;
  const snippet = useMemo(
    () => verificationSnippet(language, { bodyBase64: delivery.bodyBase64 ?? '', signature: delivery.signatureReceived ?? '' }),
    [language, delivery.bodyBase64, delivery.signatureReceived],
  );
  return (
    <div className="tab-body">
      <div className="tab-tools">
        <div className="segmented" role="group" aria-label="Language">
          {SNIPPET_LANGUAGES.map(({ id, label }) => (
            <button key={id} type="button" className={`button small${language === id ? ' active' : ''}`} aria-pressed={language === id} onClick={() => setLanguage(id)}>
              {label}
            </button>
          ))}
        </div>
        <span className="muted" />
        <CopyButton text={snippet} label="Copy" title="Copy the code; set REVIEWSENSE_SIGNING_SECRET and run it" />
      </div>
      <p className="muted">
        Run it with REVIEWSENSE_SIGNING_SECRET set: it HMACs this delivery's exact bytes and compares in constant time
        {delivery.signatureReceived === null ? ' (this delivery came without a signature header, so it prints "invalid")' : ''}.
        {delivery.bodyBase64 === null ? ' No body was stored for this request, so the code checks an empty body.' : ''}
      </p>
      <pre className="raw mono snippet" data-testid="verify-snippet">
        {snippet}
      </pre>
    </div>
  );
}
