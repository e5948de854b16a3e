import type { MenuItemConstructorOptions } from 'electron';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildMenuTemplate, COPY_RECEIVER_URL, COPY_WEBHOOK_URL, installApplicationMenu } from '../../../src/main/electron/menu';
import { Inspector } from '../../../src/main/inspector/inspector';
import type { ProviderStatus, Tunnel } from '../../../src/main/tunnel/tunnel';
import { startInspector, type RunningInspector } from '../../helpers/inspector';
import { tempDir } from '../../helpers/temp-dir';
import { fakeElectron, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron);

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function installedItem(label: string): MenuItemConstructorOptions {
  const template = fakeElectron.Menu.buildFromTemplate.mock.calls[0]?.[0] as MenuItemConstructorOptions[];
  const item = flatten(template).find((entry) => entry.label === label);
  if (!item) throw new Error(`No menu item "${label}"`);
  return item;
}

function click(label: string): void {
  (installedItem(label).click as () => void)();
}

/** A tunnel provider that comes online at once, as ngrok would with a working token. */
const onlineTunnel = (): Tunnel => ({
  provider: 'fake',
  start: async () => 'https://abc123.ngrok.app',
  stop: async () => {},
  onStatus: (_listener: (status: ProviderStatus) => void) => () => {},
});

describe('application menu template', () => {
  const noop = () => {};

  it('has File, Edit, View and Webhook menus, with Quit in File outside macOS', () => {
    const template = buildMenuTemplate({ isDev: false, platform: 'linux', copyWebhookUrl: noop, copyReceiverUrl: noop });
    expect(template.map((item) => item.label)).toEqual(['File', 'Edit', 'View', 'Webhook']);
    expect(template[0]?.submenu).toEqual([{ role: 'quit' }]);
    const roles = flatten(template).map((item) => item.role);
    expect(roles).toEqual(expect.arrayContaining(['undo', 'redo', 'cut', 'copy', 'paste', 'selectAll']));
    expect(flatten(template).map((item) => item.label)).toEqual(expect.arrayContaining([COPY_WEBHOOK_URL, COPY_RECEIVER_URL]));
  });

  it('offers reload and developer tools only in development', () => {
    const roles = (isDev: boolean) => flatten(buildMenuTemplate({ isDev, platform: 'linux', copyWebhookUrl: noop, copyReceiverUrl: noop })).map((item) => item.role);
    expect(roles(false)).not.toContain('reload');
    expect(roles(false)).not.toContain('toggleDevTools');
    expect(roles(true)).toEqual(expect.arrayContaining(['reload', 'toggleDevTools']));
  });

  it('follows macOS conventions (application and window menus)', () => {
    const template = buildMenuTemplate({ isDev: false, platform: 'darwin', copyWebhookUrl: noop, copyReceiverUrl: noop });
    expect(template[0]).toEqual({ role: 'appMenu' });
    expect(template.at(-1)).toEqual({ role: 'windowMenu' });
  });
});

describe('installed menu with a real Inspector', () => {
  let running: RunningInspector;
  afterEach(async () => {
    await running.stop();
  });
  beforeEach(() => resetFakeElectron());

  it('copies the local receiver URL while no tunnel is online', async () => {
    running = await startInspector();
    installApplicationMenu(running.inspector, false);
    expect(fakeElectron.Menu.setApplicationMenu).toHaveBeenCalledTimes(1);
    click(COPY_WEBHOOK_URL);
    click(COPY_RECEIVER_URL);
    expect(fakeElectron.clipboard.writeText.mock.calls).toEqual([[running.url], [running.url]]);
  });

  it('copies the tunnel webhook URL (with the capture path) once the tunnel is online', async () => {
    const dir = tempDir();
    const inspector = new Inspector({ dataDir: dir.path, receiver: { port: 0, path: '/hooks/reviewsense' } }, { tunnelFactory: onlineTunnel });
    await inspector.start();
    running = { inspector, url: inspector.receiverUrl as string, port: 0, dataDir: dir.path, stop: async () => (await inspector.stop(), dir.cleanup()) };

    await inspector.startTunnel();
    installApplicationMenu(inspector, false);
    click(COPY_WEBHOOK_URL);
    click(COPY_RECEIVER_URL);
    expect(fakeElectron.clipboard.writeText.mock.calls).toEqual([['https://abc123.ngrok.app/hooks/reviewsense'], [running.url]]);
  });

  it('beeps instead of copying when the receiver is not listening', async () => {
    running = await startInspector();
    await running.inspector.stop();
    running.stop = async () => {};
    installApplicationMenu(running.inspector, false);
    click(COPY_WEBHOOK_URL);
    expect(fakeElectron.clipboard.writeText).not.toHaveBeenCalled();
    expect(fakeElectron.shell.beep).toHaveBeenCalledTimes(1);
  });
});
