import { app, session, shell, type Session, type WebContents } from 'electron';
import { UI_CSP } from '../../shared/csp';
import { TOKEN_PAGE } from '../tunnel/ngrok-errors';
import { isAppUrl } from './app-origin';

/**
 * Electron's security checklist beyond webPreferences: the UI never leaves app://hooklens,
 * never opens windows, never gets a permission, and always runs under the CSP.
 */
export function enforceSecurityPolicy(): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  hardenSession(session.defaultSession);
}

export function hardenWebContents(contents: WebContents): void {
  const denyForeign = (event: { preventDefault: () => void }, url: string) => {
    if (!isAppUrl(url)) event.preventDefault();
  };
  contents.on('will-navigate', (event, url) => denyForeign(event, url));
  contents.on('will-frame-navigate', (event) => denyForeign(event, event.url));
  contents.on('will-redirect', (event, url) => denyForeign(event, url));
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // A link the user clicked (docs, the dashboard) opens in their browser, never in the app.
    if (isExternalLink(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function hardenSession(target: Session): void {
  target.setPermissionRequestHandler((_contents, permission, callback, details) => callback(permissionAllowed(permission, details.requestingUrl)));
  target.setPermissionCheckHandler((_contents, permission, requestingOrigin) => permissionAllowed(permission, requestingOrigin));
  target.webRequest.onHeadersReceived((details, callback) => callback({ responseHeaders: withCsp(details.responseHeaders) }));
}

/**
 * The hosts the app links to. A link elsewhere (one planted in a payload rendered by mistake, a
 * compromised renderer's window.open) never reaches the OS browser: only these, over https.
 */
export const EXTERNAL_HOSTS: readonly string[] = [new URL(TOKEN_PAGE).hostname];

/** Only https: to a host the app links to goes to the OS browser; file:, javascript:, custom schemes never do. */
export function isExternalLink(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && parsed.password === '' && parsed.port === '' && EXTERNAL_HOSTS.includes(parsed.hostname);
  } catch {
    return false;
  }
}

/**
 * Every permission is denied except writing text to the clipboard from the app itself, which
 * the UI's copy buttons (webhook URL, payload, cURL) need; reading the clipboard stays denied.
 */
export function permissionAllowed(permission: string, requestingUrl: string | undefined): boolean {
  return permission === 'clipboard-sanitized-write' && isAppUrl(requestingUrl);
}

/** Response headers with our CSP in place of any the response carried. */
export function withCsp(headers: Record<string, string[]> | undefined): Record<string, string[]> {
  const kept = Object.entries(headers ?? {}).filter(([name]) => name.toLowerCase() !== 'content-security-policy');
  return { ...Object.fromEntries(kept), 'Content-Security-Policy': [UI_CSP] };
}
