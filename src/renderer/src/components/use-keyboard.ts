import { useEffect, type RefObject } from 'react';
import type { AppStore } from '../store';

function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
}

/** ↑/↓ and j/k move, Enter opens, / searches, Esc clears the search and filters. */
export function useKeyboard(store: AppStore, search: RefObject<HTMLInputElement | null>, detail: RefObject<HTMLElement | null>): void {
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      const state = store.getState();
      if (event.key === 'Escape') {
        if (state.settingsOpen) state.openSettings(false);
        else state.clearFilter();
        search.current?.blur();
        return;
      }
      if (typingIn(event.target)) return;
      if (event.key === 'ArrowDown' || event.key === 'j') {
        event.preventDefault();
        state.moveSelection(1);
      } else if (event.key === 'ArrowUp' || event.key === 'k') {
        event.preventDefault();
        state.moveSelection(-1);
      } else if (event.key === 'Enter' && state.selectedId !== null) {
        event.preventDefault();
        detail.current?.focus();
      } else if (event.key === '/') {
        event.preventDefault();
        search.current?.focus();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, search, detail]);
}
