import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createControlServer, type ControlServer } from '../../../src/main/browser-shell/control-server';
import { sign } from '../../../src/main/profile/signature';
import { resolveApi, takeToken } from '../../../src/renderer/src/bridge';
import { createHttpClient } from '../../../src/renderer/src/bridge/http-client';
import type { Api } from '../../../src/shared/api';
import type { DeliverySummary } from '../../../src/shared/delivery';
import { post } from '../../helpers/http';
import { startInspector, type RunningInspector } from '../../helpers/inspector';
import { nodeEventSource } from '../../helpers/node-event-source';

const RENDERER = join(__dirname, '..', '..', '..', 'out', 'renderer');
let running: RunningInspector;
let control: ControlServer;
let origin: string;
const sources: EventSource[] = [];

beforeEach(async () => {
  running = await startInspector();
  control = createControlServer({ inspector: running.inspector, rendererDir: RENDERER });
  origin = new URL(await control.listen(0)).origin;
});

afterEach(async () => {
  for (const source of sources.splice(0)) source.close();
  await control.close();
  await running.stop();
});

function client(token = control.token): Api {
  return createHttpClient({
    baseUrl: origin,
    token,
    createEventSource: (url) => {
      const source = nodeEventSource(url);
      sources.push(source);
      return source;
    },
  });
}

describe('browser client', () => {
  it('calls the contract over HTTP with the token', async () => {
    const status = await client().getStatus();
    expect(status.receiver.url).toBe(running.url);
    expect(await client().listDeliveries({})).toEqual([]);
  });

  it('turns refusals into errors with the core’s message', async () => {
    await expect(client('not-the-token').getStatus()).rejects.toThrow('Missing or wrong token: open the URL Hooklens printed.');
    await expect(client().getDelivery(-1)).rejects.toThrow('id must be a whole number from 1 to 9007199254740991.');
    await expect(client().removeSecret('runtime-1')).rejects.toThrow(/for this run only/);
  });

  it('pushes deliveries to subscribers and stops after unsubscribe', async () => {
    const api = client();
    const seen: DeliverySummary[] = [];
    // Stays subscribed on the same stream: once it has the second delivery, so would `seen` have.
    const all: DeliverySummary[] = [];
    const connected = new Promise<void>((resolve) => api.onConnection?.((isConnected) => isConnected && resolve()));
    const unsubscribe = api.on('delivery', (delivery) => seen.push(delivery));
    api.on('delivery', (delivery) => all.push(delivery));
    // The server subscribes the stream before it answers, so nothing posted from here is missed.
    await connected;
    const body = '{"id":"evt_bridge","type":"webhook.test","created_at":"x","api_version":"v1","data":{}}';
    await post(running.url, body, { 'x-reviewsense-signature': sign('whsec_test_current', body) });
    await expect.poll(() => seen.map((d) => d.eventId)).toEqual(['evt_bridge']);
    unsubscribe();
    await post(running.url, body, {});
    await expect.poll(() => all).toHaveLength(2);
    expect(seen).toHaveLength(1);
  });

  it('a finished export downloads from its link (with the token); without the token it is refused', async () => {
    const api = createHttpClient({
      baseUrl: origin,
      token: control.token,
      createEventSource: (url) => {
        const source = nodeEventSource(url);
        sources.push(source);
        return source;
      },
    });
    const body = '{"id":"evt_export","type":"webhook.test","created_at":"x","api_version":"v1","data":{}}';
    await post(running.url, body, { 'x-reviewsense-signature': sign('whsec_test_current', body) });
    const connected = new Promise<void>((resolve) => api.onConnection?.((isConnected) => isConnected && resolve()));
    const done = new Promise<string>((resolve) => api.on('export', (progress) => progress.finished && resolve(progress.file!)));
    await connected;
    const { file } = await api.startExport({ format: 'ndjson' });
    expect(await done).toBe(file);
    const url = api.exportDownloadUrl(file);
    expect(url).toBe(`${origin}/api/exports/${file.split('/').pop()}?token=${encodeURIComponent(control.token)}`);
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect((JSON.parse((await response.text()).trim()) as { eventId: string }).eventId).toBe('evt_export');
    expect((await fetch(url.replace(/\?token=.*$/, ''))).status).toBe(401);
    // A Windows path gives the same name.
    expect(api.exportDownloadUrl('C:\\Users\\me\\exports\\hooklens-a.json')).toBe(`${origin}/api/exports/hooklens-a.json?token=${encodeURIComponent(control.token)}`);
  });

  it('refuses to subscribe to an event outside the contract', () => {
    expect(() => client().on('secrets' as never, () => undefined)).toThrow('Unknown event secrets.');
  });
});

describe('bridge', () => {
  function fakeWindow(href: string, hooklens?: Api) {
    const storage = new Map<string, string>();
    const history: string[] = [];
    const location = { href, origin: new URL(href).origin } as Location;
    return {
      history,
      storage,
      window: {
        hooklens,
        location,
        sessionStorage: { getItem: (key: string) => storage.get(key) ?? null, setItem: (key: string, value: string) => storage.set(key, value) } as unknown as Storage,
        history: { replaceState: (_state: unknown, _title: string, url: string) => history.push(url) } as unknown as History,
      } as unknown as Window,
    };
  }

  it('takes the token from the address, keeps it for reloads and removes it from the address bar', () => {
    const fake = fakeWindow('http://127.0.0.1:8788/?token=abc&x=1#top');
    expect(takeToken(fake.window.location, fake.window.sessionStorage, fake.window.history)).toBe('abc');
    expect(fake.history).toEqual(['/?x=1#top']);
    const reloaded = fakeWindow('http://127.0.0.1:8788/');
    reloaded.storage.set('hooklens-token', 'abc');
    expect(takeToken(reloaded.window.location, reloaded.window.sessionStorage, reloaded.window.history)).toBe('abc');
  });

  it('uses the desktop bridge when present, the browser client otherwise, and explains a missing token', async () => {
    const desktop = client();
    expect(resolveApi(fakeWindow('app://hooklens/index.html', desktop).window)).toBe(desktop);
    expect(() => resolveApi(fakeWindow('http://127.0.0.1:8788/').window)).toThrow('No access token: open the URL that `hooklens serve` printed.');
    const browser = resolveApi(fakeWindow(`${origin}/?token=${control.token}`).window);
    expect(typeof browser.listDeliveries).toBe('function');
  });
});
