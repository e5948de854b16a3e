// What the control server answers a request it lets through: the UI files (index.html with the CSP,
// the built files with their types, no path out of the UI folder whatever its escapes) and the API
// calls (results, state changed, the token from the query, errors as { error } bodies).
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { sign } from '../../../src/main/profile/signature';
import type { AppStatus } from '../../../src/shared/api';
import { controlCallPath } from '../../../src/shared/control-api';
import { UI_CSP } from '../../../src/shared/csp';
import { post } from '../../helpers/http';
import { control, host, INDEX, port, rawRequest, running, send, useControlServer } from './control-server-harness';

useControlServer();

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

  it('lets a browser keep a built file whose name carries its hash, and nothing else', async () => {
    const hashed = await send('/assets/index-BUsZf5Rg.js', { method: 'GET', token: null });
    expect(hashed.status).toBe(200);
    expect(hashed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const url of ['/assets/app.js', '/', '/assets/index-BUsZf5Rg.js?token=x', '/assets/nope-BUsZf5Rg.js']) {
      expect((await send(url, { method: 'GET', token: null })).headers['cache-control'], url).toBe('no-store');
    }
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
    const answered = (status.json() as { result: AppStatus }).result;
    const readAfter = JSON.parse(JSON.stringify(running.inspector.getStatus())) as AppStatus;
    // Each read is stamped (revision.ts): the later one has the higher revision, and says the same.
    expect(readAfter.revision).toBeGreaterThan(answered.revision);
    expect(readAfter.tunnel.revision).toBeGreaterThan(answered.tunnel.revision);
    const unstamped = (read: AppStatus) => ({ ...read, revision: 0, tunnel: { ...read.tunnel, revision: 0 } });
    expect(unstamped(answered)).toEqual(unstamped(readAfter));

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
