import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { useDialogFocus, type InitialFocus } from './use-dialog-focus';

/**
 * A right-hand drawer (Settings, the composer, Check endpoint, Simulate retries, Export): a modal
 * dialog named by its heading, with a Close button; focus moves in, stays in, and goes back.
 */
export function Drawer({
  title,
  className,
  onClose,
  closeTitle = 'Close (Esc)',
  initialFocus = 'first-field',
  onKeyDown,
  children,
}: {
  title: string;
  className: string;
  onClose: () => void;
  closeTitle?: string;
  initialFocus?: InitialFocus;
  onKeyDown?: (event: KeyboardEvent) => void;
  children: ReactNode;
}) {
  const panel = useRef<HTMLDivElement>(null);
  const titleId = useId();
  const trap = useDialogFocus(panel, initialFocus);
  return (
    <div
      className={className}
      role="dialog"
      aria-modal="true"
      aria-labelledby={titleId}
      ref={panel}
      tabIndex={-1}
      onKeyDown={(event) => {
        trap(event);
        onKeyDown?.(event);
      }}
    >
      <div className="drawer-head">
        <h2 id={titleId}>{title}</h2>
        <button type="button" className="button small" onClick={onClose} title={closeTitle}>
          Close
        </button>
      </div>
      {children}
    </div>
  );
}
