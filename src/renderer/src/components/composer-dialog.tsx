import { lazy, Suspense, useCallback, type KeyboardEvent } from 'react';
import { EVENT_DESCRIPTIONS, EVENT_TYPES, type EventType } from '../../../shared/reviewsense/event-types';
import { ComposerAnswer } from './composer-answer';
import { SignaturePreviewLine, SigningFields } from './composer-signing';
import { ComposerTemplates } from './composer-templates';
import { useApp } from './context';
import { Drawer } from './drawer';

// CodeMirror is most of the UI's weight: loaded when the composer first opens, not at start.
const ComposerEditor = lazy(() => import('./composer-editor'));

/**
 * The composer: forge a signed test event (to Hooklens' own receiver by default, so a row shows
 * up in the feed without ReviewSense), or edit a captured delivery and replay it.
 */
export function ComposerDialog() {
  const draft = useApp((s) => s.composer);
  const busy = useApp((s) => s.composerBusy);
  const error = useApp((s) => s.composerError);
  const result = useApp((s) => s.composerResult);
  const lastSent = useApp((s) => s.lastSent);
  const close = useApp((s) => s.closeComposer);
  const update = useApp((s) => s.updateComposer);
  const chooseType = useApp((s) => s.chooseType);
  const freshId = useApp((s) => s.freshId);
  const send = useApp((s) => s.sendComposer);
  const sendAgain = useApp((s) => s.sendAgain);
  const openSimulate = useApp((s) => s.openSimulate);
  const replayOf = draft?.mode.kind === 'replay' ? draft.mode.deliveryId : null;

  // In replay mode the body's own type decides which `data` fields to expect.
  const checkType: EventType | null = draft?.mode.kind === 'send' ? draft.type : null;
  const onChange = useCallback((body: string) => update({ body }), [update]);
  const onSubmit = useCallback(() => {
    if (!busy) void send();
  }, [send, busy]);

  if (!draft) return null;
  const onKeyDown = (event: KeyboardEvent) => {
    if ((event.ctrlKey || event.metaKey) && event.key === 'Enter' && !event.defaultPrevented) {
      event.preventDefault();
      onSubmit();
    }
  };
  return (
    // In replay mode the editor takes focus itself once it is loaded; until then the dialog holds it.
    <Drawer className="drawer composer" title="Send test event" onClose={close} initialFocus={replayOf !== null ? 'dialog' : 'first-field'} onKeyDown={onKeyDown}>
      {replayOf !== null ? (
        <p className="notice">
          Edit and replay of delivery #{replayOf}: the edited bytes are re-signed as chosen below and sent as a replay; its answer also lands in that delivery's
          Attempts.
        </p>
      ) : (
        <label className="field">
          <span className="field-label">Event type</span>
          <select aria-label="Event type" value={draft.type} onChange={(event) => void chooseType(event.target.value as EventType)}>
            {EVENT_TYPES.map((type) => (
              <option key={type} value={type}>
                {type} — {EVENT_DESCRIPTIONS[type]}
              </option>
            ))}
          </select>
        </label>
      )}
      <Suspense fallback={<div className="json-editor loading muted">Loading the editor…</div>}>
        <ComposerEditor body={draft.body} checkType={checkType} onChange={onChange} onSubmit={onSubmit} autoFocus={replayOf !== null} />
      </Suspense>
      <SignaturePreviewLine draft={draft} />
      <SigningFields draft={draft} />
      <div className="composer-actions">
        {/* aria-disabled while sending (not disabled): a disabled button drops its focus to the page. */}
        <button type="button" className="button primary" aria-disabled={busy} onClick={onSubmit} title="Send (Ctrl+Enter / ⌘+Enter)">
          {busy ? 'Sending…' : replayOf !== null ? 'Send replay' : 'Send'}
        </button>
        <button type="button" className="button" disabled={lastSent === null} aria-disabled={busy} onClick={() => !busy && void sendAgain()} title="Send the last body again, byte for byte: a redelivery of the same event id">
          Same event again
        </button>
        <button type="button" className="button" aria-disabled={busy} onClick={() => !busy && void freshId()} title="A new event id and created_at; the rest of the body stays as edited">
          New id
        </button>
        <button
          type="button"
          className="button"
          onClick={() => void openSimulate(replayOf !== null ? { deliveryId: replayOf, eventType: null } : { deliveryId: null, eventType: draft.type }, draft.target)}
          title={
            replayOf !== null
              ? `ReviewSense's retry schedule with delivery #${replayOf}'s captured bytes (not the edits) against this Target`
              : `ReviewSense's retry schedule with a fresh ${draft.type} event against this Target`
          }
        >
          Simulate retries…
        </button>
        <span className="muted">Ctrl+Enter sends · Esc closes</span>
      </div>
      <ComposerTemplates />
      <ComposerAnswer attempt={result} busy={busy} error={error} />
    </Drawer>
  );
}
