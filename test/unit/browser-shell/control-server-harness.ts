// What the control server tests share: a real Inspector and a control server on a stub of the built
// UI, started before each test and stopped after it, and requests to it (injected or raw bytes).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach } from 'vitest';
import { createControlServer, type ControlServer } from '../../../src/main/browser-shell/control-server';
import { rawExchange, statusOf } from '../../helpers/http';
import { startInspector, type RunningInspector } from '../../helpers/inspector';
import { tempDir } from '../../helpers/temp-dir';

export const INDEX = '<!doctype html><title>stub renderer</title><script src="/assets/app.js"></script>';

// Set by the hooks of useControlServer(): importers read them as live bindings.
export let running: RunningInspector;
export let folder: ReturnType<typeof tempDir>;
export let rendererDir: string;
export let control: ControlServer;
export let port: number;
export let host: string;

/** Starts the Inspector and the control server before each test of the calling file, stops them after. */
export function useControlServer(): void {
  beforeEach(async () => {
    running = await startInspector();
    // A stub of the built UI, and a file beside it that must never be served.
    folder = tempDir();
    rendererDir = join(folder.path, 'renderer');
    mkdirSync(join(rendererDir, 'assets'), { recursive: true });
    writeFileSync(join(rendererDir, 'index.html'), INDEX);
    writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("stub");');
    // A built file as the bundler names it: a hash of its content in the name.
    writeFileSync(join(rendererDir, 'assets', 'index-BUsZf5Rg.js'), 'console.log("hashed");');
    writeFileSync(join(folder.path, 'outside.txt'), 'NOT FOR THE BROWSER');
    // A sibling whose name starts with the UI folder's: a bare prefix check would let it through.
    mkdirSync(join(folder.path, 'renderer-evil'));
    writeFileSync(join(folder.path, 'renderer-evil', 'index.html'), 'NOT FOR THE BROWSER');
    control = createControlServer({ inspector: running.inspector, rendererDir });
    // The guard learns which Host to accept when the server binds its port.
    port = Number(new URL(await control.listen(0)).port);
    host = `127.0.0.1:${port}`;
  });

  afterEach(async () => {
    await control.close();
    await running.stop();
    folder.cleanup();
  });
}

interface Request {
  method?: 'GET' | 'POST';
  token?: string | null;
  headers?: Record<string, string>;
  args?: unknown[];
}

/** A request through the server's own routing and hooks, as from the page it served. */
export async function send(url: string, { method = 'POST', token = control.token, headers = {}, args = [] }: Request = {}) {
  const response = await control.app.inject({
    method,
    url,
    headers: {
      host,
      ...(token === null ? {} : { authorization: `Bearer ${token}` }),
      ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    ...(method === 'POST' ? { payload: JSON.stringify({ args }) } : {}),
  });
  return { status: response.statusCode, headers: response.headers, body: response.body, json: () => response.json() as unknown };
}

/**
 * Real bytes on a real socket, the path exactly as written: inject() and HTTP clients normalise
 * `/%2e%2e/` away before the server could see it, an attacker's client does not.
 */
export async function rawRequest(path: string, method = 'GET', body = ''): Promise<{ status: number | null; response: string }> {
  const head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${body ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : ''}Connection: close\r\n\r\n`;
  const { response } = await rawExchange(port, [head + body], 5_000);
  return { status: statusOf(response), response };
}
