import { request } from 'node:http';
import { expect, test } from './fixtures';

function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(method === 'POST' ? '{"args":[]}' : undefined);
  });
}

test('the control API refuses a missing token, a foreign Host and a foreign Origin', async ({ hooklens }) => {
  const ui = new URL(hooklens.uiUrl);
  const token = ui.searchParams.get('token') as string;
  const call = `${ui.origin}/api/call/getStatus`;
  const json = { 'content-type': 'application/json' };

  expect((await get(call, { ...json, authorization: `Bearer ${token}` }, 'POST')).status).toBe(200);
  expect((await get(call, json, 'POST')).status).toBe(401);
  expect((await get(call, { ...json, authorization: 'Bearer wrong' }, 'POST')).status).toBe(401);
  expect((await get(`${ui.origin}/api/events`)).status).toBe(401);
  // Percent-encoded paths reach the same routes and need the same token.
  expect((await get(`${ui.origin}/%61pi/call/getStatus`, json, 'POST')).status).toBe(401);
  expect((await get(`${ui.origin}/%61pi/events`)).status).toBe(401);
  expect((await get(`${ui.origin}/api/%63all/setTunnelSettings`, json, 'POST')).status).toBe(401);
  expect((await get(call, { ...json, authorization: `Bearer ${token}`, host: 'evil.example:80' }, 'POST')).status).toBe(421);
  expect((await get(`${ui.origin}/`, { host: `rebind.example:${ui.port}` })).status).toBe(421);
  expect((await get(call, { ...json, authorization: `Bearer ${token}`, origin: 'http://evil.example' }, 'POST')).status).toBe(403);
  expect((await get(call, { ...json, authorization: `Bearer ${token}`, origin: `http://127.0.0.1:${ui.port}` }, 'POST')).status).toBe(200);
});

test('the UI page carries a strict CSP and the API validates arguments', async ({ hooklens }) => {
  const ui = new URL(hooklens.uiUrl);
  const page = await new Promise<{ csp: string | undefined }>((resolve, reject) => {
    request(`${ui.origin}/`, { agent: false }, (res) => {
      res.resume();
      resolve({ csp: res.headers['content-security-policy'] as string | undefined });
    })
      .on('error', reject)
      .end();
  });
  expect(page.csp).toContain("script-src 'self'");
  expect(page.csp).toContain("object-src 'none'");
  const token = ui.searchParams.get('token') as string;
  const bad = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${ui.origin}/api/call/getDelivery`, { method: 'POST', agent: false, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(JSON.stringify({ args: ['1; drop table deliveries'] }));
  });
  expect(bad.status).toBe(400);
  expect(JSON.parse(bad.body).error.message).toBe('id must be a whole number from 1 to 9007199254740991.');
});

test('the receiver port serves no UI and no API', async ({ hooklens }) => {
  const receiver = new URL(hooklens.receiverUrl);
  for (const path of ['/', '/index.html', '/api/call/getStatus', '/api/events', '/assets/index.js']) {
    const response = await get(`${receiver.origin}${path}`, {}, path.startsWith('/api/call') ? 'POST' : 'GET');
    expect(response.status, path).toBe(404);
    expect(response.body).not.toContain('<html');
  }
});
