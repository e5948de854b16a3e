import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createControlServer, type ControlServer } from '../../../src/main/browser-shell/control-server';
import { sign } from '../../../src/main/profile/signature';
import { API_CALL_NAMES } from '../../../src/shared/api';
import { controlCallPath } from '../../../src/shared/control-api';
import { UI_CSP } from '../../../src/shared/csp';
import { post, rawExchange, statusOf } from '../../helpers/http';
import { startInspector, type RunningInspector } from '../../helpers/inspector';
import { tempDir } from '../../helpers/temp-dir';

const INDEX = '<!doctype html><title>stub renderer</title><script src="/assets/app.js"></script>';
const UNAUTHORIZED = { error: { name: 'Unauthorized', message: 'Missing or wrong token: open the URL Hooklens printed.' } };

let running: RunningInspector;
let folder: ReturnType<typeof tempDir>;
let rendererDir: string;
let control: ControlServer;
let port: number;
let host: string;

beforeEach(async () => {
  running = await startInspector();
  // A stub of the built UI, and a file beside it that must never be served.
  folder = tempDir();
  rendererDir = join(folder.path, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), INDEX);
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("stub");');
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

interface Request {
  method?: 'GET' | 'POST';
  token?: string | null;
  headers?: Record<string, string>;
  args?: unknown[];
}

/** A request through the server's own routing and hooks, as from the page it served. */
async function send(url: string, { method = 'POST', token = control.token, headers = {}, args = [] }: Request = {}) {
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
async function rawRequest(path: string, method = 'GET', body = ''): Promise<{ status: number | null; response: string }> {
  const head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n${body ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` : ''}Connection: close\r\n\r\n`;
  const { response } = await rawExchange(port, [head + body], 5_000);
  return { status: statusOf(response), response };
}

/** The same token with one character changed: same length, so the comparison itself decides. */
function wrongToken(): string {
  const last = control.token.at(-1) === 'A' ? 'B' : 'A';
  return control.token.slice(0, -1) + last;
}

describe('control server: who may talk to it', () => {
  it('answers 421 to a Host other than its own loopback address, token or not', async () => {
    for (const foreign of ['evil.example', `evil.example:${port}`, `127.0.0.1:${port + 1}`, `localhost.evil.example:${port}`, `[::1]:${port}`]) {
      for (const url of ['/', controlCallPath('getStatus')]) {
        const response = await send(url, { method: url === '/' ? 'GET' : 'POST', headers: { host: foreign } });
        expect(response.status, `${foreign} ${url}`).toBe(421);
        expect(response.json()).toEqual({ error: { name: 'ForbiddenHost', message: 'This server answers only to 127.0.0.1 and localhost.' } });
        expect(response.body).not.toContain('stub renderer');
      }
    }
    // Its own names, in any case, are fine.
    expect((await send(controlCallPath('getStatus'), { headers: { host: `LocalHost:${port}` } })).status).toBe(200);
  });

  it('answers 403 to a foreign Origin, and accepts its own', async () => {
    for (const origin of ['http://evil.example', `http://evil.example:${port}`, `https://127.0.0.1:${port}`, `http://127.0.0.1:${port + 1}`, 'null', 'not a url']) {
      const response = await send(controlCallPath('getStatus'), { headers: { origin } });
      expect(response.status, origin).toBe(403);
      expect(response.json()).toEqual({ error: { name: 'ForbiddenOrigin', message: 'Cross-origin requests are refused.' } });
    }
    expect((await send(controlCallPath('getStatus'), { headers: { origin: `http://127.0.0.1:${port}` } })).status).toBe(200);
    expect((await send(controlCallPath('getStatus'), { headers: { origin: `http://localhost:${port}` } })).status).toBe(200);
  });

  it('answers 401 on every API route without the token or with a wrong one, and runs nothing', async () => {
    const before = running.inspector.getResponse();
    for (const name of API_CALL_NAMES) {
      const path = controlCallPath(name);
      for (const request of [
        { token: null },
        { token: 'wrong' },
        { token: wrongToken() },
        { token: null, headers: { authorization: control.token } },
        { token: null, headers: { authorization: `Basic ${control.token}` } },
      ]) {
        const response = await send(path, request);
        expect(response.status, `${name} ${JSON.stringify(request)}`).toBe(401);
        expect(response.json()).toEqual(UNAUTHORIZED);
      }
      const wrongQuery = await send(`${path}?token=${wrongToken()}`, { token: null });
      expect(wrongQuery.status, `${name} ?token=wrong`).toBe(401);
    }
    // The event stream too.
    expect((await send('/api/events', { method: 'GET', token: null })).status).toBe(401);
    expect((await send(`/api/events?token=${wrongToken()}`, { method: 'GET', token: null })).status).toBe(401);
    // Nothing ran: the receiver answers as before and no tunnel was started.
    expect(running.inspector.getResponse()).toEqual(before);
    expect(running.inspector.tunnelStatus().state).toBe('off');
  });

  it('does not skip the token for a percent-encoded API path', async () => {
    for (const [method, url] of [
      ['POST', '/api/call/get%53tatus'],
      ['POST', '/%61pi/call/getStatus'],
      ['POST', '/api/%63all/setTunnelSettings'],
      ['GET', '/%61pi/events'],
    ] as const) {
      const response = await send(url, { method, token: null });
      expect(response.status, url).toBe(401);
      expect(response.json()).toEqual(UNAUTHORIZED);
    }
    // Over a real socket too, the path exactly as sent.
    const raw = await rawRequest('/api/call/get%53tatus', 'POST', '{"args":[]}');
    expect(raw.status).toBe(401);
    expect(raw.response).toContain(JSON.stringify(UNAUTHORIZED));
    // It is the same route: with the token it answers like the plain path.
    const encoded = await send('/api/call/get%53tatus');
    expect(encoded.status).toBe(200);
    expect(encoded.json()).toMatchObject({ result: { receiver: { url: running.url } } });
  });

  it('refuses every request until it listens (no Host is known yet)', async () => {
    const unbound = createControlServer({ inspector: running.inspector, rendererDir });
    try {
      const response = await unbound.app.inject({ method: 'GET', url: '/', headers: { host: '127.0.0.1' } });
      expect(response.statusCode).toBe(421);
      expect(unbound.url()).toBeNull();
    } finally {
      await unbound.close();
    }
  });

  it('will not start without a built UI', () => {
    expect(() => createControlServer({ inspector: running.inspector, rendererDir: folder.path })).toThrow(
      `The UI is not built (${folder.path}/index.html is missing). Run \`npm run build\`.`,
    );
  });
});

describe('control server: the UI files', () => {
  it('serves index.html without a token, with the CSP and no-sniff headers', async () => {
    for (const url of ['/', '/index.html', '/?token=anything']) {
      const response = await send(url, { method: 'GET', token: null });
      expect(response.status, url).toBe(200);
      expect(response.body).toBe(INDEX);
      expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(response.headers['content-security-policy']).toBe(UI_CSP);
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).toBe('no-store');
    }
  });

  it('serves other built files with their type, and 404 for a missing one', async () => {
    const script = await send('/assets/app.js', { method: 'GET', token: null });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.body).toBe('console.log("stub");');
    const missing = await send('/assets/nope.js', { method: 'GET', token: null });
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ error: { name: 'NotFound', message: 'Not found.' } });
  });

  it('answers 404 to a path that climbs out of the UI folder', async () => {
    // The plain file is there, so a 404 below is the guard, not a missing file.
    expect((await rawRequest('/assets/app.js')).status).toBe(200);
    for (const path of [
      '/..%2f..%2fetc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '/../../etc/passwd',
      '/..%2foutside.txt',
      '/%2e%2e/outside.txt',
      '/assets/..%2f..%2foutside.txt',
      '/assets/%2e%2e/%2e%2e/outside.txt',
      '/..%5coutside.txt',
      '/%2e%2e/renderer-evil/index.html',
      '/..%2frenderer-evil%2findex.html',
    ]) {
      const { status, response } = await rawRequest(path);
      expect(status, path).toBe(404);
      expect(response, path).not.toContain('NOT FOR THE BROWSER');
      expect(response, path).not.toContain('root:');
    }
  });

  it('answers 400 to a malformed escape, serving nothing', async () => {
    const { status, response } = await rawRequest('/%E0%A4%A');
    expect(status).toBe(400);
    expect(response).not.toContain('stub renderer');
  });

  it('serves the printed URL over real HTTP', async () => {
    const printed = control.url() as string;
    expect(printed).toBe(`http://127.0.0.1:${port}/?token=${control.token}`);
    const page = await new Promise<{ status: number; csp: unknown; body: string }>((resolve, reject) => {
      request(printed, { agent: false }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, csp: res.headers['content-security-policy'], body }));
      })
        .on('error', reject)
        .end();
    });
    expect(page).toEqual({ status: 200, csp: UI_CSP, body: INDEX });
  });
});

describe('control server: calls', () => {
  it('answers a good call with { result }', async () => {
    const status = await send(controlCallPath('getStatus'));
    expect(status.status).toBe(200);
    expect(status.json()).toEqual({ result: JSON.parse(JSON.stringify(running.inspector.getStatus())) });

    const body = '{"id":"evt_control","type":"webhook.test","created_at":"x","api_version":"v1","data":{}}';
    expect((await post(running.url, body, { 'x-reviewsense-signature': sign('whsec_test_current', body) })).status).toBe(200);
    const list = await send(controlCallPath('listDeliveries'), { args: [{}] });
    expect(list.json()).toEqual({ result: [expect.objectContaining({ id: 1, eventId: 'evt_control', signatureStatus: 'valid' })] });
    const detail = await send(controlCallPath('getDelivery'), { args: [1] });
    expect(detail.json()).toMatchObject({ result: { delivery: { id: 1, eventId: 'evt_control', bodyBase64: Buffer.from(body).toString('base64') } } });
  });

  it('takes the token from the query too, and answers null for a call that found nothing', async () => {
    const response = await send(`${controlCallPath('getDelivery')}?token=${control.token}`, { token: null, args: [42] });
    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ result: null });
  });

  it('changes state through a call', async () => {
    const response = await send(controlCallPath('setResponse'), { args: [{ status: 202, body: 'ok', contentType: 'text/plain', delayMs: 0, strict: false }] });
    expect(response.status).toBe(200);
    expect(running.inspector.getResponse()).toMatchObject({ status: 202, body: 'ok' });
    expect((await post(running.url, '{}')).status).toBe(202);
  });

  it('answers 400 with the contract’s sentence to a bad argument', async () => {
    const response = await send(controlCallPath('getDelivery'), { args: [-1] });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({ error: { name: 'ApiInputError', message: 'id must be a whole number from 1 to 9007199254740991.' } });
    const notAList = await control.app.inject({
      method: 'POST',
      url: controlCallPath('getDelivery'),
      headers: { host, authorization: `Bearer ${control.token}`, 'content-type': 'application/json' },
      payload: '{"args":"1"}',
    });
    expect(notAList.statusCode).toBe(400);
    expect(notAList.json()).toEqual({ error: { name: 'ApiInputError', message: 'arguments must be a list.' } });
  });

  it('passes an error of the core through with its name and message', async () => {
    const response = await send(controlCallPath('removeSecret'), { args: ['runtime-1'] });
    expect(response.status).toBe(400);
    expect(response.json()).toEqual({ error: { name: 'ApiInputError', message: expect.stringMatching(/for this run only/) } });
  });

  it('answers 404 with an { error } body to an unknown call, and 401 before that without the token', async () => {
    const unknown = await send('/api/call/dropEverything');
    expect(unknown.status).toBe(404);
    expect(unknown.json()).toEqual({ error: { name: 'NotFound', message: 'Nothing at POST /api/call/dropEverything.' } });
    expect((await send('/api/call/dropEverything', { token: null })).status).toBe(401);
    // A contract call with the wrong method is not a route either.
    const get = await send(controlCallPath('getStatus'), { method: 'GET' });
    expect(get.status).toBe(404);
    expect(get.json()).toEqual({ error: { name: 'NotFound', message: 'Not found.' } });
  });
});
