import type { AppState } from './index';

/**
 * The right-hand drawers (Settings, the composer, Check endpoint, Simulate retries, Export): one
 * at a time, so opening one closes the others (work they started goes on in the core).
 */
export const NO_DRAWER = {
  composer: null,
  settingsOpen: false,
  checkOpen: false,
  simulateSource: null,
  exportRequest: null,
} as const satisfies Partial<AppState>;

export function anyDrawerOpen(state: AppState): boolean {
  return state.composer !== null || state.settingsOpen || state.checkOpen || state.simulateSource !== null || state.exportRequest !== null;
}

/** Esc: closes the open drawer; false when none was open. */
export function closeDrawer(state: AppState): boolean {
  if (state.composer) state.closeComposer();
  else if (state.settingsOpen) state.openSettings(false);
  else if (state.checkOpen) state.closeCheck();
  else if (state.simulateSource) state.closeSimulate();
  else if (state.exportRequest) state.closeExport();
  else return false;
  return true;
}
