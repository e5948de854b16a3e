/**
 * The origin the desktop UI is served from. Everything that decides trust (IPC sender check,
 * navigation) compares against this, never against a loose prefix match.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'hooklens';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;
export const APP_ENTRY_URL = `${APP_ORIGIN}/index.html`;

/** True only for URLs on exactly app://hooklens (not app://hooklens.evil, not app://other). */
export function isAppUrl(url: string | null | undefined): boolean {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    // Node's URL reports origin "null" for custom schemes, so compare the parts.
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}
