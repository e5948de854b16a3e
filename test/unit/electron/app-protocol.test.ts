import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { UI_CSP } from '../../../src/shared/csp';
import { createAppRequestHandler, registerAppScheme, serveAppProtocol } from '../../../src/main/electron/app-protocol';
import { tempDir } from '../../helpers/temp-dir';
import { fakeElectron, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron);

describe('app:// protocol', () => {
  let dir: ReturnType<typeof tempDir>;
  let rendererDir: string;

  beforeEach(() => {
    resetFakeElectron();
    dir = tempDir();
    rendererDir = join(dir.path, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Hooklens</title>');
    writeFileSync(join(rendererDir, 'assets', 'index.js'), 'console.log(1)');
    // Outside the renderer: must never be served.
    writeFileSync(join(dir.path, 'secret.key'), 'top secret');
    writeFileSync(join(dir.path, 'renderer-evil.txt'), 'sibling with a shared prefix');
  });
  afterEach(() => dir.cleanup());

  const get = (url: string, method = 'GET') => createAppRequestHandler(rendererDir)({ url, method });

  it('registers app as a standard, secure scheme that other origins cannot read', () => {
    registerAppScheme();
    expect(fakeElectron.protocol.registerSchemesAsPrivileged).toHaveBeenCalledWith([
      { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
  });

  it('serves the built renderer with the CSP', async () => {
    serveAppProtocol(rendererDir);
    const handler = fakeElectron.protocol.handlers.get('app');
    const response = await handler?.(new Request('app://hooklens/index.html'));
    expect(response?.status).toBe(200);
    expect(response?.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response?.headers.get('content-security-policy')).toBe(UI_CSP);
    expect(response?.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response?.text()).toContain('<title>Hooklens</title>');

    const script = await get('app://hooklens/assets/index.js?v=1');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await get('app://hooklens/')).status).toBe(200);
  });

  it.each([
    'app://hooklens/../secret.key',
    'app://hooklens/%2e%2e/secret.key',
    'app://hooklens/..%2fsecret.key',
    'app://hooklens/..%2Fsecret.key',
    'app://hooklens/assets/..%2f..%2fsecret.key',
    'app://hooklens/..%5csecret.key',
    'app://hooklens/%2e%2e%2f..%2frenderer-evil.txt',
    'app://hooklens/..%2frenderer-evil.txt',
    'app://hooklens/%E0%A4%A',
  ])('refuses path traversal: %s', async (url) => {
    const response = await get(url);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toMatch(/top secret|shared prefix/);
    expect(response.headers.get('content-security-policy')).toBe(UI_CSP);
  });

  it('serves nothing for another host or a missing file, and only reads', async () => {
    expect((await get('app://other/index.html')).status).toBe(404);
    expect((await get('app://hooklens/missing.js')).status).toBe(404);
    expect((await get('app://hooklens/index.html', 'POST')).status).toBe(405);
    const head = await get('app://hooklens/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
  });
});
