import { useCallback, useRef, useState } from 'react';
import type { DeliveryDetail } from '../../../shared/delivery';
import { replayTargetOf } from '../store/replay-slice';
import { useApp } from './context';
import { receiverPlaceholder, TargetField } from './target-field';
import { recentTargetsOf } from '../store/forwarding-slice';
import { currentSecretOf } from '../store/secrets';
import { useDismiss } from './use-dismiss';

/** Replay ▾: as captured, re-signed with a chosen secret, or edited in the composer. */
export function ReplayMenu({ delivery }: { delivery: DeliveryDetail }) {
  const target = useApp(replayTargetOf);
  const setTarget = useApp((s) => s.setReplayTarget);
  const replay = useApp((s) => s.replaySelected);
  const busy = useApp((s) => s.replayBusy);
  const secrets = useApp((s) => s.secrets);
  const recent = useApp(recentTargetsOf);
  const receiverUrl = useApp((s) => s.status?.receiver.url);
  const openReplayComposer = useApp((s) => s.openReplayComposer);
  const [open, setOpen] = useState(false);
  const [resign, setResign] = useState(false);
  const [secretId, setSecretId] = useState<string | null>(null);
  const anchor = useRef<HTMLDivElement>(null);
  const chosenSecret = secretId ?? currentSecretOf(secrets)?.id ?? secrets[0]?.id ?? null;

  const close = useCallback(() => {
    setOpen(false);
    setResign(false);
  }, []);
  // Closes as every menu does: a press or focus elsewhere, or Esc (focus back on its button).
  useDismiss(anchor, open, close);

  const run = async (signature: 'keep' | 'valid') => {
    if (busy) return;
    // On failure the menu stays open; the reason shows beside it. Sent, it closes, and focus (when
    // it was in the menu) goes back to Replay ▾ rather than to nowhere.
    if (!(await replay(signature, signature === 'valid' ? chosenSecret : undefined))) return;
    if (anchor.current?.contains(document.activeElement)) anchor.current.querySelector<HTMLElement>('button')?.focus();
    close();
  };

  const noBody = delivery.bodyBase64 === null;
  return (
    <div className="menu-anchor" ref={anchor}>
      <button
        type="button"
        className="button small"
        aria-haspopup="true"
        aria-expanded={open}
        disabled={noBody}
        title={noBody ? 'No body was stored for this request (it was refused), so there is nothing to replay' : 'Send this delivery again (r: as captured, e: edit)'}
        onClick={() => (open ? close() : setOpen(true))}
      >
        Replay ▾
      </button>
      {open && (
        <div className="menu" role="group" aria-label="Replay">
          <TargetField value={target} onChange={setTarget} recent={recent} placeholder={receiverPlaceholder(receiverUrl)} autoFocus />
          {/* aria-disabled while a replay is on its way (not disabled): a disabled button drops its focus to the page. */}
          <button type="button" className="menu-item" aria-disabled={busy} onClick={() => void run('keep')} title="The captured bytes and headers, with the captured signature (r)">
            Replay as captured
          </button>
          <button type="button" className="menu-item" aria-disabled={busy} aria-expanded={resign} onClick={() => !busy && setResign(!resign)} title="The captured bytes, signed again with a secret you choose">
            Replay re-signed…
          </button>
          {resign && (
            <div className="inline-form menu-sub">
              <select aria-label="Re-sign with" value={chosenSecret ?? ''} onChange={(event) => setSecretId(event.target.value)} disabled={secrets.length === 0}>
                {secrets.length === 0 && <option value="">No secret yet: add one in Settings</option>}
                {secrets.map((secret) => (
                  <option key={secret.id} value={secret.id}>
                    {secret.label} ({secret.fingerprint}){secret.retired ? ' — retired' : ''}
                  </option>
                ))}
              </select>
              <button type="button" className="button small" disabled={chosenSecret === null} aria-disabled={busy} onClick={() => void run('valid')}>
                Re-sign and send
              </button>
            </div>
          )}
          <button
            type="button"
            className="menu-item"
            onClick={() => {
              // The composer hands focus back to Replay ▾ when it closes (this item goes with the menu).
              anchor.current?.querySelector<HTMLElement>('button')?.focus();
              close();
              void openReplayComposer(delivery);
            }}
            title="Open the composer with this delivery's body, edit it, and send it re-signed (e)"
          >
            Edit and replay…
          </button>
          <p className="muted menu-note">Empty Target: Hooklens' own receiver. The answer lands in Attempts.</p>
        </div>
      )}
    </div>
  );
}
