import { useLayoutEffect, type RefObject } from 'react';
import type { AppStore } from '../store';
import { anyDrawerOpen, closeDrawer } from '../store/drawers';
import { isFiltered } from '../store/feed-filter';

function typingIn(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
}

/**
 * Buttons, links, tabs, menus and trees keep their own Enter, Space and arrow keys; a letter
 * shortcut (n, r, e, c, j, k, /) works wherever nothing is being typed.
 */
function ownsKeys(target: EventTarget | null, key: string): boolean {
  if (key.length === 1 && key !== ' ') return false;
  return target instanceof HTMLElement && target.closest('button, a, summary, [role="tab"], [role="dialog"], [role="tree"], [role="menu"]') !== null;
}

/**
 * ↑/↓ and j/k move, Enter opens, / searches, n composes a test event, r replays the selected
 * delivery as captured, e edits and replays it, c compares a retry with its original; Esc closes a
 * dialog, else ends a comparison, else clears the filters.
 */
export function useKeyboard(store: AppStore, search: RefObject<HTMLInputElement | null>, detail: RefObject<HTMLElement | null>): void {
  // Listening from the commit that first shows the app: an effect runs after the first paint, so
  // a key pressed as the rows appeared went nowhere.
  useLayoutEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (event.metaKey || event.ctrlKey || event.altKey) return;
      const state = store.getState();
      if (event.key === 'Escape') {
        // One thing at a time: the open dialog, else a comparison, else the filters.
        if (!closeDrawer(state)) {
          if (state.alsoSelected.length > 0) state.endComparison();
          else if (isFiltered(state.filter)) state.clearFilter();
        }
        search.current?.blur();
        return;
      }
      // A key a widget already handled (the feed grid's arrows, a tree's, a menu's) is its own.
      if (event.defaultPrevented || anyDrawerOpen(state) || typingIn(event.target) || ownsKeys(event.target, event.key)) return;
      // In the detail pane the arrows scroll it; j/k still walk the feed.
      const inDetail = event.target instanceof HTMLElement && event.target.closest('.detail') !== null;
      if (inDetail && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) return;
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
      } else if (event.key === 'n') {
        event.preventDefault();
        void state.openComposer();
      } else if (event.key === 'r' && state.selectedId !== null) {
        event.preventDefault();
        void state.replaySelected('keep');
      } else if (event.key === 'e' && state.selectedId !== null && state.view?.delivery.id === state.selectedId) {
        event.preventDefault();
        void state.openReplayComposer(state.view.delivery);
      } else if (event.key === 'c' && state.selectedId !== null) {
        event.preventDefault();
        state.compareWithOriginal();
      }
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, search, detail]);
}
