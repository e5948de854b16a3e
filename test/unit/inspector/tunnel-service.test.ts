import { describe, expect, it } from 'vitest';
import { createTunnelService, type TunnelServiceOptions } from '../../../src/main/inspector/tunnel-service';
import { createFileKeyCipher } from '../../../src/main/secrets/file-key-cipher';
import type { TunnelStatus } from '../../../src/shared/tunnel-status';
import { fakeTunnelProvider } from '../../helpers/fake-tunnel';
import { tempDir } from '../../helpers/temp-dir';
import { withTempStore } from '../../helpers/temp-store';

const LOCAL = 'http://127.0.0.1:8787/hooks/reviewsense';
const LOCAL_TARGET = { host: '127.0.0.1', port: 8787 };

const t = withTempStore();

/** A receiver as the tunnel sees it; the test moves or stops it by changing the fields. */
function fakeReceiver() {
  const state = { target: LOCAL_TARGET as { host: string; port: number } | null, path: '/hooks/reviewsense', url: LOCAL as string | null };
  return {
    state,
    receiver: { target: () => state.target, path: () => state.path, url: () => state.url },
  };
}

function service(overrides: Partial<TunnelServiceOptions> = {}) {
  const provider = fakeTunnelProvider();
  const { state, receiver } = fakeReceiver();
  const statuses: TunnelStatus[] = [];
  const tunnel = createTunnelService({
    factory: provider.factory,
    settings: t.store.settings,
    cipher: createFileKeyCipher(t.dir),
    given: {},
    receiver,
    onStatus: (status) => statuses.push(status),
    ...overrides,
  });
  return { tunnel, provider, receiverState: state, statuses };
}

/** Starts the tunnel and brings the fake provider online at `url`. */
async function online(s: ReturnType<typeof service>, url: string) {
  const starting = s.tunnel.start();
  (await s.provider.nextAttempt(s.provider.attempts.length)).online(url);
  return starting;
}

describe('tunnel service: the webhook URL to paste', () => {
  it('is the local receiver URL (not public) while the tunnel is off, and nothing while the receiver is stopped', () => {
    const s = service();
    expect(s.tunnel.status()).toMatchObject({ state: 'off', url: null, webhookUrl: null });
    expect(s.tunnel.webhookUrl()).toEqual({ url: LOCAL, public: false });
    s.receiverState.url = null;
    expect(s.tunnel.webhookUrl()).toBeNull();
  });

  it('is local while connecting, public with the capture path while online and while reconnecting to the same address', async () => {
    const s = service();
    const starting = s.tunnel.start();
    const attempt = await s.provider.nextAttempt(0);
    expect(attempt.target).toEqual(LOCAL_TARGET);
    expect(s.tunnel.status().state).toBe('connecting');
    expect(s.tunnel.webhookUrl()).toEqual({ url: LOCAL, public: false });

    attempt.online('https://abc.ngrok.app/');
    const status = await starting;
    expect(status).toMatchObject({ state: 'online', url: 'https://abc.ngrok.app/', webhookUrl: 'https://abc.ngrok.app/hooks/reviewsense', provider: 'fake' });
    expect(s.tunnel.webhookUrl()).toEqual({ url: 'https://abc.ngrok.app/hooks/reviewsense', public: true });

    attempt.report({ state: 'reconnecting', url: 'https://abc.ngrok.app/', message: 'Connection to ngrok lost, reconnecting…' });
    // The address stays registered in the dashboard while the agent reconnects: keep showing it.
    expect(s.tunnel.status()).toMatchObject({ state: 'reconnecting', webhookUrl: 'https://abc.ngrok.app/hooks/reviewsense' });
    expect(s.tunnel.webhookUrl()).toEqual({ url: 'https://abc.ngrok.app/hooks/reviewsense', public: true });

    attempt.report({ state: 'online', url: 'https://abc.ngrok.app/', message: null });
    expect(s.tunnel.webhookUrl()).toEqual({ url: 'https://abc.ngrok.app/hooks/reviewsense', public: true });

    expect(s.statuses.map((status) => status.state)).toEqual(['connecting', 'online', 'reconnecting', 'online']);
  });

  it('follows a new capture path while online', async () => {
    const s = service();
    await online(s, 'https://abc.ngrok.app');
    s.receiverState.path = '/rs';
    expect(s.tunnel.webhookUrl()).toEqual({ url: 'https://abc.ngrok.app/rs', public: true });
  });

  it('is local after a failed connect, with the provider’s sentence in the status', async () => {
    const s = service();
    const starting = s.tunnel.start();
    (await s.provider.nextAttempt(0)).fail('No ngrok authtoken.');
    expect(await starting).toMatchObject({ state: 'error', message: 'No ngrok authtoken.', url: null, webhookUrl: null });
    expect(s.tunnel.webhookUrl()).toEqual({ url: LOCAL, public: false });
  });

  it('is local again once stopped', async () => {
    const s = service();
    await online(s, 'https://abc.ngrok.app');
    expect(await s.tunnel.stop()).toMatchObject({ state: 'off', webhookUrl: null });
    expect(s.provider.attempts[0]?.stopped).toBe(true);
    expect(s.tunnel.webhookUrl()).toEqual({ url: LOCAL, public: false });
  });

  it('without a provider, start ends in an error and the URL stays local', async () => {
    const s = service({ factory: null });
    expect(await s.tunnel.start()).toMatchObject({ state: 'error', message: 'No tunnel provider is available in this build.' });
    expect(s.tunnel.webhookUrl()).toEqual({ url: LOCAL, public: false });
  });
});

describe('tunnel service: lifecycle', () => {
  it('refuses to start before the receiver listens, without asking the provider', async () => {
    const s = service();
    s.receiverState.target = null;
    await expect(s.tunnel.start()).rejects.toThrow('Start the receiver before the tunnel.');
    expect(s.provider.attempts).toEqual([]);
    expect(s.tunnel.status().state).toBe('off');
    expect(s.statuses).toEqual([]);
  });

  it('an open tunnel follows the receiver to its new port; a closed one does not start', async () => {
    const s = service();
    s.receiverState.target = { host: '127.0.0.1', port: 9999 };
    s.tunnel.follow();
    expect(s.provider.attempts).toEqual([]);

    await online(s, 'https://abc.ngrok.app');
    expect(s.provider.attempts[0]?.target).toEqual({ host: '127.0.0.1', port: 9999 });
    s.receiverState.target = { host: '127.0.0.1', port: 9100 };
    s.tunnel.follow();
    const moved = await s.provider.nextAttempt(1);
    expect(moved.target).toEqual({ host: '127.0.0.1', port: 9100 });
    expect(s.provider.attempts[0]?.stopped).toBe(true);
  });

  it('says when a fresh connection brings a webhook URL different from the last one shown', async () => {
    const s = service();
    expect((await online(s, 'https://first.ngrok.app')).notice).toBeNull();
    await s.tunnel.stop();
    const second = await online(s, 'https://second.ngrok.app');
    expect(second.notice).toBe(
      'The webhook URL changed (it was https://first.ngrok.app/hooks/reviewsense). Update the endpoint in Dashboard → ReviewSense → Webhooks, or deliveries will not arrive.',
    );
    expect(t.store.settings.get('lastWebhookUrl')).toBe('https://second.ngrok.app/hooks/reviewsense');
    // The notice belongs to the online state only.
    await s.tunnel.stop();
    expect(s.tunnel.status().notice).toBeNull();
  });
});

describe('tunnel service: settings', () => {
  it('saves the token sealed and never returns it; the next start uses it, also after a restart', async () => {
    const s = service();
    expect(s.tunnel.calls.getTunnelSettings()).toEqual({ tokenSource: null, domain: null });

    const saved = s.tunnel.calls.setTunnelSettings({ authtoken: '  tok_very_secret  ', domain: 'me.ngrok.app' });
    expect(saved).toEqual({ tokenSource: 'saved', domain: 'me.ngrok.app' });
    expect(s.tunnel.calls.getTunnelSettings()).toEqual(saved);
    expect(JSON.stringify(s.tunnel.calls.getTunnelSettings())).not.toContain('tok_very_secret');
    const { value } = t.store.db.prepare("select value from settings where key = 'tunnel'").get() as { value: string };
    expect(value).not.toContain('tok_very_secret');

    await online(s, 'https://me.ngrok.app');
    expect(s.provider.attempts[0]?.options).toEqual({ authtoken: 'tok_very_secret', domain: 'me.ngrok.app' });

    // A new run over the same database and key file reads it back.
    const restarted = service();
    expect(restarted.tunnel.calls.getTunnelSettings()).toEqual({ tokenSource: 'saved', domain: 'me.ngrok.app' });
    await online(restarted, 'https://me.ngrok.app');
    expect(restarted.provider.attempts[0]?.options).toEqual({ authtoken: 'tok_very_secret', domain: 'me.ngrok.app' });
  });

  it('null clears, undefined keeps', () => {
    const s = service();
    s.tunnel.calls.setTunnelSettings({ authtoken: 'tok', domain: 'me.ngrok.app' });
    expect(s.tunnel.calls.setTunnelSettings({ domain: undefined })).toEqual({ tokenSource: 'saved', domain: 'me.ngrok.app' });
    expect(s.tunnel.calls.setTunnelSettings({ authtoken: null })).toEqual({ tokenSource: null, domain: 'me.ngrok.app' });
    expect(s.tunnel.calls.setTunnelSettings({ domain: null })).toEqual({ tokenSource: null, domain: null });
  });

  it('what this run was given wins over what was saved', async () => {
    service().tunnel.calls.setTunnelSettings({ authtoken: 'tok_saved', domain: 'saved.ngrok.app' });
    const s = service({ given: { authtoken: 'tok_env', domain: 'given.ngrok.app' } });
    expect(s.tunnel.calls.getTunnelSettings()).toEqual({ tokenSource: 'environment', domain: 'given.ngrok.app' });
    await online(s, 'https://given.ngrok.app');
    expect(s.provider.attempts[0]?.options).toEqual({ authtoken: 'tok_env', domain: 'given.ngrok.app' });
  });

  it('a token sealed with another key is reported unreadable and not used', async () => {
    service().tunnel.calls.setTunnelSettings({ authtoken: 'tok_saved' });
    const otherKey = tempDir();
    try {
      const s = service({ cipher: createFileKeyCipher(otherKey.path) });
      expect(s.tunnel.calls.getTunnelSettings()).toEqual({ tokenSource: 'unreadable', domain: null });
      await online(s, 'https://x.ngrok.app');
      expect(s.provider.attempts[0]?.options.authtoken).toBeUndefined();
    } finally {
      otherKey.cleanup();
    }
  });
});
