import { useEffect, type RefObject } from 'react';

/** Focus moves into a drawer (its first field) when it opens and goes back where it was when it closes. */
export function useDrawerFocus(open: boolean, panel: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    if (!open) return;
    const before = document.activeElement as HTMLElement | null;
    const first = panel.current?.querySelector<HTMLElement>('input, select') ?? panel.current?.querySelector<HTMLElement>('button:not([disabled])');
    first?.focus();
    return () => before?.focus?.();
  }, [open, panel]);
}
