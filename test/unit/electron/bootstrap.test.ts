import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { bootstrap } from '../../../src/main/electron/bootstrap';
import { describeStoreError } from '../../../src/main/electron/startup-errors';
import { Inspector } from '../../../src/main/inspector/inspector';
import { openStore } from '../../../src/main/store/store';
import { API_CALL_NAMES } from '../../../src/shared/api-names';
import { callChannel } from '../../../src/shared/ipc-channels';
import { tempDir } from '../../helpers/temp-dir';
import { FakeBrowserWindow, fakeElectron, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron);

const PATHS = { rendererDir: '/built/renderer', preloadFile: '/built/preload/index.js', projectDir: '/project' };

describe('desktop bootstrap', () => {
  let dir: ReturnType<typeof tempDir>;
  let signalListeners: { SIGINT: Function[]; SIGTERM: Function[] };

  beforeEach(() => {
    resetFakeElectron();
    dir = tempDir();
    // Port 0: never the user's 8787.
    const store = openStore(dir.path);
    store.settings.put('receiver', { port: 0, path: '/hooks/desktop' });
    store.close();
    signalListeners = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  });

  afterEach(async () => {
    // Quit as the app would, and wait until the Inspector has closed its database: the folder
    // goes next, and a late app.quit() must not land in the next test.
    fakeElectron.app.quit.mockClear();
    const quitting = { preventDefault: vi.fn() };
    fakeElectron.app.emit('before-quit', quitting);
    if (quitting.preventDefault.mock.calls.length > 0) await vi.waitFor(() => expect(fakeElectron.app.quit).toHaveBeenCalled());
    for (const signal of ['SIGINT', 'SIGTERM'] as const) {
      for (const listener of process.listeners(signal)) if (!signalListeners[signal].includes(listener)) process.off(signal, listener as never);
    }
    vi.restoreAllMocks();
    dir.cleanup();
  });

  async function start(env: NodeJS.ProcessEnv = {}) {
    bootstrap(PATHS, { HOOKLENS_DATA_DIR: dir.path, ...env });
    fakeElectron.app.markReady();
    await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));
    const window = FakeBrowserWindow.created[0] as FakeBrowserWindow;
    return window;
  }

  async function status(): Promise<{ receiver: { url: string | null } }> {
    const reply = (await fakeElectron.ipcMain.invoke(callChannel('getStatus'), 'app://hooklens/index.html')) as { result: { receiver: { url: string | null } } };
    return reply.result;
  }

  it('does its before-ready work: data dir, single-instance lock, app:// scheme', async () => {
    bootstrap(PATHS, { HOOKLENS_DATA_DIR: dir.path });
    expect(fakeElectron.app.setName).toHaveBeenCalledWith('Hooklens');
    expect(fakeElectron.app.setPath).toHaveBeenCalledWith('userData', dir.path);
    expect(fakeElectron.app.setPath).toHaveBeenCalledWith('sessionData', join(dir.path, 'chromium'));
    expect(fakeElectron.app.requestSingleInstanceLock).toHaveBeenCalled();
    expect(fakeElectron.protocol.registerSchemesAsPrivileged).toHaveBeenCalled();
    expect(fakeElectron.protocol.handle).not.toHaveBeenCalled();
    fakeElectron.app.markReady();
    await vi.waitFor(() => expect(FakeBrowserWindow.created).toHaveLength(1));
  });

  it('opens a secure window on app://hooklens, wired to a running Inspector', async () => {
    const window = await start();
    expect(window.options).toMatchObject({
      show: false,
      webPreferences: { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true, preload: PATHS.preloadFile },
    });
    expect(window.loadURL).toHaveBeenCalledWith('app://hooklens/index.html');
    expect(fakeElectron.protocol.handlers.has('app')).toBe(true);
    expect(fakeElectron.session.defaultSession.permissionCheckHandler).not.toBeNull();
    expect(window.webContents.windowOpenHandler).not.toBeNull();
    expect(fakeElectron.Menu.setApplicationMenu).toHaveBeenCalled();
    expect([...fakeElectron.ipcMain.handlers.keys()]).toHaveLength(API_CALL_NAMES.length);

    // The receiver listens where the saved settings say.
    await vi.waitFor(async () => expect((await status()).receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/desktop$/));
    expect(existsSync(join(dir.path, 'hooklens.db'))).toBe(true);
    expect(fakeElectron.dialog.showMessageBox).not.toHaveBeenCalled();

    window.emit('ready-to-show');
    expect(window.show).toHaveBeenCalled();
  });

  it.each([
    { case: 'npm start (unpackaged, HOOKLENS_DEV=1)', isPackaged: false, env: { HOOKLENS_DEV: '1' }, devTools: true },
    { case: 'an unpackaged run without HOOKLENS_DEV', isPackaged: false, env: {}, devTools: false },
    { case: 'a package, even with HOOKLENS_DEV=1', isPackaged: true, env: { HOOKLENS_DEV: '1' }, devTools: false },
  ])('puts Reload and the developer tools in the menu only for a developer: $case', async ({ isPackaged, env, devTools }) => {
    fakeElectron.app.isPackaged = isPackaged;
    await start(env);
    const template = fakeElectron.Menu.buildFromTemplate.mock.calls[0]?.[0] as MenuItemConstructorOptions[];
    const roles = template.flatMap((item) => (Array.isArray(item.submenu) ? item.submenu : [])).map((item) => item.role);
    expect(roles.includes('reload')).toBe(devTools);
    expect(roles.includes('toggleDevTools')).toBe(devTools);
  });

  it('in a package, loads the rebuilt better-sqlite3 and ignores HOOKLENS_ELECTRON_NATIVE_BINDING', async () => {
    // Not a loadable module: an unpackaged run that used it could not open the database.
    const bogus = join(dir.path, 'bogus.node');
    writeFileSync(bogus, 'not a native module');
    fakeElectron.app.isPackaged = true;
    await start({ HOOKLENS_ELECTRON_NATIVE_BINDING: bogus });
    expect(fakeElectron.dialog.showErrorBox).not.toHaveBeenCalled();
    await vi.waitFor(async () => expect((await status()).receiver.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/hooks\/desktop$/));
  });

  it('unpackaged, uses the binding HOOKLENS_ELECTRON_NATIVE_BINDING names (npm start\'s Electron build)', async () => {
    const bogus = join(dir.path, 'bogus.node');
    writeFileSync(bogus, 'not a native module');
    bootstrap(PATHS, { HOOKLENS_DATA_DIR: dir.path, HOOKLENS_ELECTRON_NATIVE_BINDING: bogus });
    fakeElectron.app.markReady();
    await vi.waitFor(() => expect(fakeElectron.app.exit).toHaveBeenCalledWith(1));
    expect(fakeElectron.dialog.showErrorBox).toHaveBeenCalledWith('Hooklens cannot open its database', expect.stringContaining('Cannot open the database'));
  });

  it('remembers the window bounds in userData when it closes, and quits', async () => {
    const window = await start();
    window.normalBounds = { x: 40, y: 30, width: 1111, height: 777 };
    window.close();
    fakeElectron.app.emit('window-all-closed');
    expect(JSON.parse(readFileSync(join(dir.path, 'window-state.json'), 'utf8'))).toEqual({ bounds: window.normalBounds, maximized: false });
    expect(fakeElectron.app.quit).toHaveBeenCalled();
  });

  it('stops the Inspector before quitting', async () => {
    const stop = vi.spyOn(Inspector.prototype, 'stop');
    await start();
    const event = { preventDefault: vi.fn() };
    fakeElectron.app.emit('before-quit', event);
    expect(event.preventDefault).toHaveBeenCalled();
    expect(stop).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(fakeElectron.app.quit).toHaveBeenCalled());
    // The second before-quit (from that app.quit) goes through.
    const again = { preventDefault: vi.fn() };
    fakeElectron.app.emit('before-quit', again);
    expect(again.preventDefault).not.toHaveBeenCalled();
  });

  it('keeps the app open with a dialog when the receiver cannot listen', async () => {
    vi.spyOn(Inspector.prototype, 'start').mockRejectedValue(new Error('Port 8787 is already in use.\nmore detail'));
    const window = await start();
    await vi.waitFor(() => expect(fakeElectron.dialog.showMessageBox).toHaveBeenCalled());
    const [parent, options] = fakeElectron.dialog.showMessageBox.mock.calls[0] as unknown as [unknown, { message: string; detail: string }];
    expect(parent).toBe(window);
    expect(options.message).toBe('Hooklens is not receiving webhooks');
    expect(options.detail).toBe('Port 8787 is already in use.\n\nChoose another port in Settings.');
    expect(fakeElectron.app.quit).not.toHaveBeenCalled();
    expect(fakeElectron.app.exit).not.toHaveBeenCalled();
  });

  it('focuses the existing window when a second instance starts', async () => {
    const window = await start();
    fakeElectron.app.emit('second-instance');
    expect(window.focus).toHaveBeenCalled();
  });

  it('explains and exits when the database cannot be opened', async () => {
    const notAFolder = join(dir.path, 'file');
    writeFileSync(notAFolder, '');
    bootstrap(PATHS, { HOOKLENS_DATA_DIR: notAFolder });
    fakeElectron.app.markReady();
    await vi.waitFor(() => expect(fakeElectron.app.exit).toHaveBeenCalledWith(1));
    expect(fakeElectron.dialog.showErrorBox).toHaveBeenCalledWith('Hooklens cannot open its database', expect.stringContaining(`Cannot open the database in ${notAFolder}`));
    expect(FakeBrowserWindow.created).toHaveLength(0);
  });

  it('names the fix when better-sqlite3 is built for Node instead of Electron', () => {
    const abiMismatch = new Error(
      "The module '/x/better_sqlite3.node'\nwas compiled against a different Node.js version using\nNODE_MODULE_VERSION 115. This version of Node.js requires\nNODE_MODULE_VERSION 140.",
    );
    expect(describeStoreError(abiMismatch, '/data')).toMatch(/built for Node\.js, not for Electron\. Start the app with `npm start`/);
    // A package's user has no clone and no npm start: the package itself is at fault.
    expect(describeStoreError(abiMismatch, '/data', true)).toMatch(/in this package was not built for its Electron version: the package is broken/);
    expect(describeStoreError(abiMismatch, '/data', true)).not.toContain('npm start');
  });

  it('leaves at once when another instance holds the lock', () => {
    fakeElectron.app.requestSingleInstanceLock.mockReturnValue(false);
    bootstrap(PATHS, { HOOKLENS_DATA_DIR: dir.path });
    expect(fakeElectron.app.quit).toHaveBeenCalled();
    expect(fakeElectron.protocol.registerSchemesAsPrivileged).not.toHaveBeenCalled();
  });
});
