import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Inspector } from '../../src/main/inspector/inspector';
import { Relay } from '../../src/main/relay/relay';
import { hashToken, newToken } from '../../src/main/relay/tokens';
import type { RelayStatus } from '../../src/shared/relay';
import { directApi } from '../helpers/direct-api';
import { post } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';

const stops: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
});

/** A relay in-process with one token, and the token. */
async function startRelay() {
  const dir = tempDir();
  const token = newToken();
  const relay = new Relay({ dataDir: dir.path, receiver: { port: 0 } });
  // As `relay token add` does, through the relay's own database.
  const db = new Database(join(dir.path, 'hooklens.db'));
  db.prepare('INSERT INTO relay_tokens (name, hash, created_at) VALUES (?, ?, ?)').run('dev', hashToken(token), Date.now());
  db.close();
  await relay.start();
  stops.push(() => dir.cleanup(), () => relay.stop());
  const receiverUrl = relay.receiverUrl as string;
  return { relay, token, receiverUrl, url: new URL(receiverUrl).origin, stream: relay.streamUrl as string };
}

async function startInspector(restoreSettings = false, dir = tempDir()) {
  const inspector = new Inspector({ dataDir: dir.path, receiver: { port: 0 }, restoreSettings });
  await inspector.start();
  stops.push(() => dir.cleanup(), () => inspector.stop());
  return { inspector, api: directApi(inspector), dir };
}

function statuses(api: ReturnType<typeof directApi>): RelayStatus[] {
  const seen: RelayStatus[] = [];
  api.on('relay', (status) => seen.push(status));
  return seen;
}

describe('Settings → Team relay', () => {
  it('saves the relay and follows it at once; the token never comes back, in any answer or event', async () => {
    const { token, url, stream, receiverUrl } = await startRelay();
    const { inspector, api, dir } = await startInspector();
    const seen = statuses(api);
    const settings = await api.setRelaySettings({ url, token });
    expect(settings).toEqual({ url: stream, tokenSource: 'saved' });
    await expect.poll(() => seen.at(-1)?.state).toBe('connected');
    expect((await api.getStatus()).relay).toMatchObject({ state: 'connected', url: stream, behind: 0 });

    await post(receiverUrl, '{"id":"evt_via_relay","type":"webhook.test"}');
    await expect.poll(async () => (await api.listDeliveries()).map((row) => row.eventId)).toEqual(['evt_via_relay']);
    const everything = JSON.stringify([settings, await api.getRelaySettings(), await api.getStatus(), seen]);
    expect(everything).not.toContain(token);
    // Sealed at rest, like signing secrets.
    const db = new Database(join(dir.path, 'hooklens.db'), { readonly: true });
    expect(String(db.prepare("SELECT value FROM settings WHERE key = 'relay'").pluck().get())).not.toContain(token);
    db.close();
    expect(inspector.getStatus().relay.state).toBe('connected');
  });

  it('refuses a URL that is not one with a sentence, and stops following when the URL is cleared', async () => {
    const { token, url } = await startRelay();
    const { api } = await startInspector();
    await expect(api.setRelaySettings({ url: 'ftp://relay.example.com', token })).rejects.toThrow(/http:\/\/ or https:\/\//);
    await api.setRelaySettings({ url, token });
    await expect.poll(async () => (await api.getStatus()).relay.state).toBe('connected');
    expect(await api.setRelaySettings({ url: null })).toEqual({ url: null, tokenSource: 'saved' });
    expect((await api.getStatus()).relay).toMatchObject({ state: 'off', url: null });
  });

  it('refuses to follow the relay\'s webhook URL, once, rather than storing a request there at each try', async () => {
    const { token, relay, receiverUrl } = await startRelay();
    const { api } = await startInspector();
    await api.setRelaySettings({ url: receiverUrl, token });
    await expect.poll(async () => (await api.getStatus()).relay.state).toBe('refused');
    expect((await api.getStatus()).relay.message).toMatch(/not a relay's stream .* not its webhook URL/);
    expect(relay.deliveries.list()).toHaveLength(1);
  });

  it('says refused for a wrong token, and tries again when the settings change', async () => {
    const { token, url } = await startRelay();
    const { api } = await startInspector();
    await api.setRelaySettings({ url, token: 'hlr_not_the_token' });
    await expect.poll(async () => (await api.getStatus()).relay.state).toBe('refused');
    expect((await api.getStatus()).relay.message).toMatch(/not one of the relay's/);
    await api.setRelaySettings({ url, token });
    await expect.poll(async () => (await api.getStatus()).relay.state).toBe('connected');
  });

  it('says how far behind it is when it comes back to a relay that kept going', async () => {
    const { token, url, receiverUrl } = await startRelay();
    const { api } = await startInspector();
    await api.setRelaySettings({ url, token });
    await expect.poll(async () => (await api.getStatus()).relay.state).toBe('connected');
    await api.setRelaySettings({ url: null });
    for (let i = 0; i < 30; i++) await post(receiverUrl, `{"id":"evt_meanwhile_${i}","type":"webhook.test"}`);
    const seen = statuses(api);
    await api.setRelaySettings({ url });
    await expect.poll(() => seen.at(-1)).toMatchObject({ state: 'connected', behind: 0 });
    expect(seen.find((status) => status.state === 'connected')?.behind).toBe(30);
    expect((await api.listDeliveries()).length).toBe(30);
  });

  it('follows the saved relay again at the desktop app\'s next start', async () => {
    const { token, url, stream } = await startRelay();
    const dir = tempDir();
    const first = new Inspector({ dataDir: dir.path, receiver: { port: 0 } });
    await first.start();
    await first.setRelaySettings({ url, token });
    await first.stop();
    const { api } = await startInspector(true, dir);
    await expect.poll(async () => (await api.getStatus()).relay).toMatchObject({ state: 'connected', url: stream });
  });
});

describe('the relay status a client keeps (revision.ts)', () => {
  it('grows with every change, through connecting, connected and off (never back to the off status’s 0)', async () => {
    const { token, url } = await startRelay();
    const { api } = await startInspector();
    const seen = statuses(api);
    await api.setRelaySettings({ url, token });
    await expect.poll(() => seen.at(-1)?.state).toBe('connected');
    await api.setRelaySettings({ url: null });
    await expect.poll(() => seen.at(-1)?.state).toBe('off');
    const revisions = seen.map((status) => status.revision);
    expect(revisions.length).toBeGreaterThanOrEqual(3);
    for (let i = 1; i < revisions.length; i++) expect(revisions[i]).toBeGreaterThan(revisions[i - 1]!);
    expect((await api.getStatus()).relay).toEqual(seen.at(-1));
  });
});
