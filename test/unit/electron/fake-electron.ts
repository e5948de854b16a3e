import { EventEmitter } from 'node:events';
import { vi } from 'vitest';

/**
 * A stand-in for the `electron` module (the binary cannot run in these tests). Each test file
 * does `vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron)` and
 * drives the fakes through the helpers below. Only what the shell uses is modelled.
 */

type Handler = (event: unknown, ...args: unknown[]) => unknown;

class FakeWebContents extends EventEmitter {
  url = '';
  destroyed = false;
  send = vi.fn();
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  getURL = () => this.url;
  isDestroyed = () => this.destroyed;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static created: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  destroyed = false;
  maximized = false;
  visible = false;
  normalBounds = { x: 10, y: 20, width: 1000, height: 700 };

  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.created.push(this);
    fakeElectron.app.emit('web-contents-created', {}, this.webContents);
  }

  loadURL = vi.fn(async (url: string) => {
    this.webContents.url = url;
  });
  show = vi.fn(() => {
    this.visible = true;
  });
  focus = vi.fn();
  restore = vi.fn();
  maximize = vi.fn(() => {
    this.maximized = true;
  });
  isMaximized = () => this.maximized;
  isMinimized = () => false;
  isDestroyed = () => this.destroyed;
  getNormalBounds = () => this.normalBounds;

  /** What closing the window does: 'close', then 'closed', after which webContents is gone. */
  close(): void {
    this.emit('close', { preventDefault() {} });
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
}

function createApp() {
  const app = new EventEmitter() as EventEmitter & Record<string, unknown>;
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  const paths = new Map<string, string>();
  return Object.assign(app, {
    isPackaged: false,
    name: 'hooklens',
    markReady,
    whenReady: () => ready,
    setName: vi.fn((name: string) => {
      app.name = name;
    }),
    getPath: (name: string) => paths.get(name) ?? `/fake/${name}`,
    setPath: vi.fn((name: string, path: string) => paths.set(name, path)),
    requestSingleInstanceLock: vi.fn(() => true),
    quit: vi.fn(),
    exit: vi.fn(),
  });
}

function createIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: vi.fn((channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    /** Calls a handler as a renderer frame at `senderUrl` would (null: the frame is gone). */
    async invoke(channel: string, senderUrl: string | null, ...args: unknown[]) {
      const handler = handlers.get(channel);
      if (!handler) throw new Error(`No handler registered for '${channel}'`);
      return handler({ senderFrame: senderUrl === null ? null : { url: senderUrl } }, ...args);
    },
  };
}

function createIpcRenderer() {
  const emitter = new EventEmitter();
  return {
    invoke: vi.fn(async (_channel: string, ..._args: unknown[]): Promise<unknown> => ({ result: null })),
    on: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
      emitter.on(channel, listener);
    }),
    removeListener: vi.fn((channel: string, listener: (...args: unknown[]) => void) => {
      emitter.removeListener(channel, listener);
    }),
    listenerCount: (channel: string) => emitter.listenerCount(channel),
    /** What the main process's webContents.send looks like on this side: an event object first. */
    deliver(channel: string, ...args: unknown[]) {
      emitter.emit(channel, { sender: 'the Electron IpcRendererEvent' }, ...args);
    },
  };
}

function createSession() {
  return {
    permissionRequestHandler: null as null | ((...args: unknown[]) => void),
    permissionCheckHandler: null as null | ((...args: unknown[]) => boolean),
    headersReceived: null as null | ((details: unknown, callback: (response: unknown) => void) => void),
    setPermissionRequestHandler(handler: (...args: unknown[]) => void) {
      this.permissionRequestHandler = handler;
    },
    setPermissionCheckHandler(handler: (...args: unknown[]) => boolean) {
      this.permissionCheckHandler = handler;
    },
    webRequest: {
      onHeadersReceived: (handler: (details: unknown, callback: (response: unknown) => void) => void) => {
        fakeElectron.session.defaultSession.headersReceived = handler;
      },
    },
  };
}

function createSafeStorage() {
  return {
    available: true,
    backend: 'gnome_libsecret' as string,
    isEncryptionAvailable: vi.fn(() => fakeElectron.safeStorage.available),
    getSelectedStorageBackend: vi.fn(() => fakeElectron.safeStorage.backend),
    // Reversible and visibly not the plain text, which is all the cipher needs from it.
    encryptString: vi.fn((plain: string) => Buffer.from(`sealed:${Buffer.from(plain, 'utf8').toString('base64')}`)),
    decryptString: vi.fn((sealed: Buffer) => {
      const text = sealed.toString('utf8');
      if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(text.slice('sealed:'.length), 'base64').toString('utf8');
    }),
  };
}

function create() {
  return {
    app: createApp(),
    ipcMain: createIpcMain(),
    ipcRenderer: createIpcRenderer(),
    contextBridge: {
      exposed: new Map<string, unknown>(),
      exposeInMainWorld: vi.fn((key: string, api: unknown) => fakeElectron.contextBridge.exposed.set(key, api)),
    },
    BrowserWindow: FakeBrowserWindow,
    protocol: {
      handlers: new Map<string, (request: Request) => Promise<Response>>(),
      registerSchemesAsPrivileged: vi.fn(),
      handle: vi.fn((scheme: string, handler: (request: Request) => Promise<Response>) => fakeElectron.protocol.handlers.set(scheme, handler)),
    },
    session: { defaultSession: createSession() },
    shell: { openExternal: vi.fn(async () => {}), beep: vi.fn() },
    clipboard: { writeText: vi.fn() },
    Menu: {
      buildFromTemplate: vi.fn((template: unknown[]) => ({ template })),
      setApplicationMenu: vi.fn(),
    },
    dialog: { showErrorBox: vi.fn(), showMessageBox: vi.fn(async () => ({ response: 0 })) },
    screen: { getAllDisplays: vi.fn(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]) },
    safeStorage: createSafeStorage(),
  };
}

type FakeElectron = ReturnType<typeof create>;
// One object per test file even across vi.resetModules(), so a re-imported module under test
// and the test itself see the same fakes.
const holder = globalThis as { hooklensFakeElectron?: FakeElectron };
export const fakeElectron: FakeElectron = (holder.hooklensFakeElectron ??= create());

/** Fresh fakes for the next test (the module object itself stays the same). */
export function resetFakeElectron(): void {
  FakeBrowserWindow.created = [];
  Object.assign(fakeElectron, create());
}
