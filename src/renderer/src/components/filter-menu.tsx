import { useCallback, useRef, useState, type MouseEvent, type ReactNode } from 'react';
import { useDismiss } from './use-dismiss';

/** A filter's drop-down (Type, Signature): a disclosure that closes as a menu does. */
export function FilterMenu({ label, chosen, children }: { label: string; chosen: number; children: ReactNode }) {
  const [open, setOpen] = useState(false);
  const anchor = useRef<HTMLDetailsElement>(null);
  const close = useCallback(() => setOpen(false), []);
  useDismiss(anchor, open, close);
  // Opened by the click itself, not by <details>' toggle event: that one comes a task later, and an
  // Esc pressed before it would find no menu to close and clear the filters instead.
  const flip = (event: MouseEvent) => {
    event.preventDefault();
    setOpen((was) => !was);
  };
  return (
    <details className="filter-menu" ref={anchor} open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary className={chosen ? 'active' : ''} onClick={flip}>
        {label}
        {chosen ? ` (${chosen})` : ''}
      </summary>
      {children}
    </details>
  );
}
