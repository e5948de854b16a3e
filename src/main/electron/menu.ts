import { clipboard, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { Inspector } from '../inspector/inspector';

export interface MenuOptions {
  /** Reload and developer tools only while developing. */
  isDev: boolean;
  platform: NodeJS.Platform;
  copyWebhookUrl: () => void;
  copyReceiverUrl: () => void;
}

export const COPY_WEBHOOK_URL = 'Copy Webhook URL';
export const COPY_RECEIVER_URL = 'Copy Local Receiver URL';

export function buildMenuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const devItems: MenuItemConstructorOptions[] = options.isDev ? [{ role: 'reload' }, { role: 'toggleDevTools' }, separator] : [];
  return [
    // macOS puts Quit in the application menu; elsewhere it lives in File.
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    { label: 'File', submenu: [mac ? { role: 'close' } : { role: 'quit' }] },
    {
      label: 'Edit',
      submenu: [{ role: 'undo' }, { role: 'redo' }, separator, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: 'View',
      submenu: [...devItems, { role: 'resetZoom' }, { role: 'zoomIn' }, { role: 'zoomOut' }, separator, { role: 'togglefullscreen' }],
    },
    {
      label: 'Webhook',
      submenu: [
        { label: COPY_WEBHOOK_URL, accelerator: 'CmdOrCtrl+Shift+U', click: () => options.copyWebhookUrl() },
        { label: COPY_RECEIVER_URL, click: () => options.copyReceiverUrl() },
      ],
    },
    ...(mac ? [{ role: 'windowMenu' } as const] : []),
  ];
}

export function installApplicationMenu(inspector: Inspector, isDev: boolean): void {
  // Nothing to copy (the receiver is not listening): a beep rather than an empty clipboard.
  const copy = (url: string | null) => (url ? clipboard.writeText(url) : shell.beep());
  const template = buildMenuTemplate({
    isDev,
    platform: process.platform,
    copyWebhookUrl: () => copy(inspector.webhookUrl()?.url ?? null),
    copyReceiverUrl: () => copy(inspector.receiverUrl),
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
