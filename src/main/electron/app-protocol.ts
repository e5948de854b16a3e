import { protocol } from 'electron';
import { UI_CSP } from '../../shared/csp';
import { readRendererFile } from '../ui/renderer-files';
import { APP_SCHEME, isAppUrl } from './app-origin';

/**
 * The UI is served from app://hooklens/ rather than file://, so it has a real origin (the IPC
 * sender check and the CSP's 'self' mean something) and cannot read arbitrary local files.
 * Must run before the app is ready.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    // No corsEnabled: other origins must not be able to read app:// responses.
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}

/** Serves the built renderer on app://hooklens/. Call once the app is ready. */
export function serveAppProtocol(rendererDir: string): void {
  protocol.handle(APP_SCHEME, createAppRequestHandler(rendererDir));
}

/** Only files inside rendererDir, only on app://hooklens, only GET/HEAD; every answer carries the CSP. */
export function createAppRequestHandler(rendererDir: string) {
  return async (request: { url: string; method: string }): Promise<Response> => {
    if (!isAppUrl(request.url)) return plain(404, 'Not found.');
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'Method not allowed.');
    // readRendererFile decodes the path and refuses anything that resolves outside rendererDir.
    const file = await readRendererFile(rendererDir, new URL(request.url).pathname);
    if (!file) return plain(404, 'Not found.');
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(file.body), { status: 200, headers: headers(file.type) });
  };
}

function plain(status: number, message: string): Response {
  return new Response(message, { status, headers: headers('text/plain; charset=utf-8') });
}

function headers(contentType: string): Record<string, string> {
  return {
    'content-type': contentType,
    'content-security-policy': UI_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': 'no-store',
  };
}
