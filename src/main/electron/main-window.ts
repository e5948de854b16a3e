import { BrowserWindow, screen } from 'electron';
import { APP_ENTRY_URL } from './app-origin';
import { loadWindowState, MIN_SIZE, placementFor, saveWindowState } from './window-state';

export interface MainWindowOptions {
  /** window-state.json in userData. */
  stateFile: string;
  /** The built preload (out/preload/index.js). */
  preloadFile: string;
}

/** The one Hooklens window, reopened where it was left, showing the UI from app://hooklens. */
export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const placement = placementFor(
    loadWindowState(options.stateFile),
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const window = new BrowserWindow({
    width: placement.width,
    height: placement.height,
    ...(placement.x !== undefined && placement.y !== undefined ? { x: placement.x, y: placement.y } : {}),
    minWidth: MIN_SIZE.width,
    minHeight: MIN_SIZE.height,
    title: 'Hooklens',
    // Shown once painted, so the user never sees a blank frame.
    show: false,
    webPreferences: {
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      preload: options.preloadFile,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => {
    if (placement.maximized) window.maximize();
    window.show();
  });
  window.on('close', () => rememberPlacement(window, options.stateFile));
  window.loadURL(APP_ENTRY_URL).catch((error: unknown) => {
    console.error(`hooklens: could not load ${APP_ENTRY_URL}: ${(error as Error).message}`);
  });
  return window;
}

function rememberPlacement(window: BrowserWindow, stateFile: string): void {
  try {
    // Normal bounds: a maximized window reopens maximized and restores to its old size.
    saveWindowState(stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  } catch (error) {
    // Losing the window position is not worth interrupting a quit.
    console.warn(`hooklens: could not save the window position: ${(error as Error).message}`);
  }
}

/** Brings the window forward (a second launch of the app lands here). */
export function focusWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
