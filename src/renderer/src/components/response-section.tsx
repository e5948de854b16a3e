import { useEffect, useState } from 'react';
import { DEFAULT_RESPONSE, type ResponseConfig } from '../../../shared/response-config';
import { DELIVERY_DEADLINE_MS } from '../../../shared/reviewsense/event-types';
import { retryDelaysText } from '../../../shared/reviewsense/retry-schedule';
import { useApp } from './context';

export function ResponseSection() {
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
