import { join, resolve } from 'node:path';
import { app, dialog, type BrowserWindow } from 'electron';
import { Inspector } from '../inspector/inspector';
import { createNgrokTunnel } from '../tunnel/ngrok-tunnel';
import { APP_NAME, defaultDataDir } from '../paths';
import { registerAppScheme, serveAppProtocol } from './app-protocol';
import { developerToolsEnabled } from './developer-mode';
import { desktopInspectorConfig } from './inspector-config';
import { forwardEventsToWindow, registerApiIpc } from './ipc';
import { createMainWindow, focusWindow } from './main-window';
import { installApplicationMenu } from './menu';
import { electronNativeBinding } from './native-binding';
import { createSafeStorageCipher } from './secret-cipher';
import { enforceSecurityPolicy } from './security';
import { describeStoreError, oneLine } from './startup-errors';
import { stopInspectorOnQuit } from './stop-on-quit';
import { WINDOW_STATE_FILE } from './window-state';

export interface DesktopPaths {
  /** The built renderer (out/renderer). */
  rendererDir: string;
  /** The built preload (out/preload/index.js). */
  preloadFile: string;
  /** The project folder, where `npm start` puts .electron-native/ (in a package: app.asar, unused). */
  projectDir: string;
}

/** Wires the desktop app: everything that must happen before ready, then the rest once ready. */
export function bootstrap(paths: DesktopPaths, env: NodeJS.ProcessEnv = process.env): void {
  app.setName(APP_NAME);
  // The same folder as the CLI's default (HOOKLENS_DATA_DIR included), so both read one database.
  // The single-instance lock lives in userData too, so separate data dirs run side by side.
  const dataDir = resolve(defaultDataDir(env));
  app.setPath('userData', dataDir);
  // Chromium's own files (caches, local storage) in a subfolder, not beside hooklens.db.
  app.setPath('sessionData', join(dataDir, 'chromium'));
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  registerAppScheme();
  app.whenReady()
    .then(() => startDesktopApp(paths, env))
    .catch((error: unknown) => {
      dialog.showErrorBox('Hooklens could not start', oneLine(error));
      app.exit(1);
    });
}

async function startDesktopApp(paths: DesktopPaths, env: NodeJS.ProcessEnv): Promise<void> {
  const dataDir = app.getPath('userData');
  serveAppProtocol(paths.rendererDir);
  enforceSecurityPolicy();

  let inspector: Inspector;
  try {
    inspector = new Inspector(desktopInspectorConfig(dataDir, env), {
      secretCipher: createSafeStorageCipher(),
      nativeBinding: electronNativeBinding(paths.projectDir, env, app.isPackaged),
      tunnelFactory: (options) => createNgrokTunnel({ ...options, clientVersion: app.getVersion() }),
    });
  } catch (error) {
    dialog.showErrorBox('Hooklens cannot open its database', describeStoreError(error, dataDir, app.isPackaged));
    app.exit(1);
    return;
  }
  stopInspectorOnQuit(inspector);
  registerApiIpc(inspector);
  installApplicationMenu(inspector, developerToolsEnabled({ isPackaged: app.isPackaged, env }));

  const openWindow = (): BrowserWindow => {
    const window = createMainWindow({ stateFile: join(dataDir, WINDOW_STATE_FILE), preloadFile: paths.preloadFile });
    forwardEventsToWindow(inspector, window);
    return window;
  };
  let window = openWindow();
  app.on('second-instance', () => {
    if (window.isDestroyed()) window = openWindow();
    focusWindow(window);
  });
  // The receiver belongs to the window: closing it stops capture, on macOS too.
  app.on('window-all-closed', () => app.quit());

  const problem = await startReceiver(inspector);
  if (problem && !window.isDestroyed()) {
    // The app stays open: the port can be changed in Settings.
    const fellBack = inspector.receiverUrl !== null;
    void dialog.showMessageBox(window, {
      type: 'warning',
      message: fellBack ? `Hooklens is receiving at ${inspector.receiverUrl}, not at the saved address` : 'Hooklens is not receiving webhooks',
      detail: `${problem}\n\n${fellBack ? 'Update the dashboard endpoint accordingly, or choose another port in Settings.' : 'Choose another port in Settings.'}`,
    });
  }
}

/** Starts capture at the saved address (or the default); returns a one-line reason on failure. */
async function startReceiver(inspector: Inspector): Promise<string | null> {
  try {
    return (await inspector.start()).savedAddressProblem;
  } catch (error) {
    return oneLine(error);
  }
}
