import { useLayoutEffect, type KeyboardEvent, type RefObject } from 'react';
import { tabStops } from '../lib/tab-stops';

/** Where focus goes when a dialog opens: its first field (else its first button), or the dialog itself. */
export type InitialFocus = 'first-field' | 'dialog';

/**
 * Focus moves into a dialog when it opens and goes back where it was when it closes (to the feed
 * when that is gone, e.g. a menu item that closed with its menu); in between, Tab and Shift+Tab
 * go around inside it. Esc closes it (use-keyboard.ts), so the keyboard is never stuck there.
 */
export function useDialogFocus(panel: RefObject<HTMLElement | null>, initial: InitialFocus): (event: KeyboardEvent) => void {
  // A layout effect: it sees what had focus before any part of the dialog takes it in its own effect.
  useLayoutEffect(() => {
    const before = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const root = panel.current;
    const first = initial === 'first-field' ? (root?.querySelector<HTMLElement>('input, select') ?? root?.querySelector<HTMLElement>('button:not([disabled])')) : root;
    // Unless a part of it took focus as it mounted (the composer's editor, in replay mode).
    if (!root?.contains(document.activeElement)) first?.focus();
    return () => {
      // Another dialog that took over has moved focus in already; leave it there.
      if (document.activeElement instanceof HTMLElement && document.activeElement.closest('[role="dialog"]') && !root?.contains(document.activeElement)) return;
      const back = before?.isConnected && before !== document.body ? before : document.querySelector<HTMLElement>('[role="grid"]');
      back?.focus();
    };
    // Where focus starts is decided once, when the dialog opens (`initial` is left out on purpose).
  }, [panel]);

  return (event: KeyboardEvent) => {
    const root = panel.current;
    if (event.key !== 'Tab' || !root) return;
    const stops = tabStops(root);
    const first = stops[0];
    const last = stops.at(-1);
    if (!first || !last) return;
    const current = document.activeElement;
    if (event.shiftKey && (current === first || current === root)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && current === last) {
      event.preventDefault();
      first.focus();
    }
  };
}
