import { useEffect } from 'react';
import { useApp } from './context';

const SHOWN_MS = 6000;

/** A short line about an answer that just arrived (a replay's, a forward's); the tab stays as it was. */
export function Toast() {
  const notice = useApp((s) => s.notice);
  const dismiss = useApp((s) => s.dismissNotice);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(dismiss, SHOWN_MS);
    return () => clearTimeout(timer);
  }, [notice, dismiss]);
  // The live region stays in the page, empty between toasts, so a screen reader hears each one.
  return (
    <div className="toast-region" role="status">
      {notice && (
        <div className={`toast ${notice.tone}`} data-testid="toast">
          <span>{notice.text}</span>
          <button type="button" className="link" onClick={dismiss} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
    </div>
  );
}
