import type { Api } from '../../../shared/api';
import { createHttpClient } from './http-client';

declare global {
  interface Window {
    /** Present in the desktop app: the preload's narrow bridge. */
    hooklens?: Api;
  }
}

const TOKEN_KEY = 'hooklens-token';

/**
 * The browser shell's page is opened as /?token=…: keep the token for reloads of this tab,
 * and take it out of the address bar (and so out of history and screenshots).
 */
export function takeToken(location: Location, storage: Storage, history: History): string | null {
  const url = new URL(location.href);
  const fromUrl = url.searchParams.get('token');
  if (fromUrl) {
    storage.setItem(TOKEN_KEY, fromUrl);
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
    return fromUrl;
  }
  return storage.getItem(TOKEN_KEY);
}

/** The one place the renderer chooses its transport: the desktop bridge, or the browser client. */
export function resolveApi(win: Window = window): Api {
  if (win.hooklens) return win.hooklens;
  const token = takeToken(win.location, win.sessionStorage, win.history);
  if (!token) throw new Error('No access token: open the URL that `hooklens serve` printed.');
  return createHttpClient({ baseUrl: win.location.origin, token });
}
