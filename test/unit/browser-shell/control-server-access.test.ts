// The control server's guards: who may talk to it (its own Host and Origin only, the token on every
// API route, percent-encoded paths included), and when it refuses to start or answer.
import { describe, expect, it } from 'vitest';
import { createControlServer } from '../../../src/main/browser-shell/control-server';
import { API_CALL_NAMES } from '../../../src/shared/api-names';
import { controlCallPath } from '../../../src/shared/control-api';
import { control, folder, port, rawRequest, rendererDir, running, send, useControlServer } from './control-server-harness';

const UNAUTHORIZED = { error: { name: 'Unauthorized', message: 'Missing or wrong token: open the URL Hooklens printed.' } };

useControlServer();

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
