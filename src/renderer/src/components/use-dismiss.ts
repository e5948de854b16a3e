import { useEffect, type RefObject } from 'react';

/**
 * Closes an open menu the way menus close: a press outside it, focus moving out of it, or Esc.
 * Listening in the capture phase sees the press that opens another menu, so two are never open
 * at once; Esc then closes only the menu (not also a drawer, nor the filters) and hands focus
 * back to the menu's button when it was inside.
 */
export function useDismiss(anchor: RefObject<HTMLElement | null>, open: boolean, close: () => void): void {
  useEffect(() => {
    if (!open) return;
    const outside = (event: Event) => {
      if (!anchor.current?.contains(event.target as Node)) close();
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      event.stopPropagation();
      if (anchor.current?.contains(document.activeElement)) anchor.current.querySelector<HTMLElement>('summary, button')?.focus();
      close();
    };
    document.addEventListener('pointerdown', outside, true);
    document.addEventListener('focusin', outside, true);
    window.addEventListener('keydown', onKey, true);
    return () => {
      document.removeEventListener('pointerdown', outside, true);
      document.removeEventListener('focusin', outside, true);
      window.removeEventListener('keydown', onKey, true);
    };
  }, [anchor, open, close]);
}
