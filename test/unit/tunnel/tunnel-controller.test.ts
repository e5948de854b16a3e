import { describe, expect, it } from 'vitest';
import { TunnelController, type KeptTunnel } from '../../../src/main/tunnel/tunnel-controller';
import { fakeTunnelProvider } from '../../helpers/fake-tunnel';

const target = { host: '127.0.0.1', port: 8787 };

function controller(timeoutMs = 5_000, options = {}) {
  const provider = fakeTunnelProvider();
  const tunnels = new TunnelController(provider.factory, () => options, timeoutMs);
  const states: KeptTunnel[] = [];
  tunnels.on('status', (status) => states.push(status));
  return { provider, tunnels, states, names: () => states.map((status) => status.state) };
}

describe('TunnelController', () => {
  it('goes connecting → online with the public URL', async () => {
    const { provider, tunnels, names } = controller(5_000, { authtoken: 'tok' });
    const started = tunnels.start(target);
    const attempt = await provider.nextAttempt(0);
    expect(attempt.target).toEqual(target);
    expect(attempt.options).toEqual({ authtoken: 'tok' });
    attempt.online('https://abc.ngrok.app');
    await started;
    expect(names()).toEqual(['connecting', 'online']);
    expect(tunnels.status).toMatchObject({ state: 'online', url: 'https://abc.ngrok.app', provider: 'fake' });
  });

  it('reports a failure as an error with the provider’s sentence', async () => {
    const { provider, tunnels } = controller();
    const started = tunnels.start(target);
    (await provider.nextAttempt(0)).fail('No ngrok authtoken.');
    await started;
    expect(tunnels.status).toMatchObject({ state: 'error', message: 'No ngrok authtoken.', url: null });
  });

  it('passes reconnecting and recovery through while online, once per change', async () => {
    const { provider, tunnels, names } = controller();
    const started = tunnels.start(target);
    const attempt = await provider.nextAttempt(0);
    attempt.online('https://abc.ngrok.app');
    await started;
    attempt.report({ state: 'reconnecting', url: 'https://abc.ngrok.app', message: 'Connection to ngrok lost, reconnecting…' });
    attempt.report({ state: 'online', url: 'https://abc.ngrok.app', message: null });
    attempt.report({ state: 'online', url: 'https://abc.ngrok.app', message: null });
    expect(names()).toEqual(['connecting', 'online', 'reconnecting', 'online']);
  });

  it('bounds a connect that never answers, then a new attempt works', async () => {
    const { provider, tunnels } = controller(200);
    const started = Date.now();
    await tunnels.start(target);
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(tunnels.status).toMatchObject({ state: 'error', message: expect.stringMatching(/^fake did not answer within 0\.2 s\. Check your internet connection/) });
    expect(provider.attempts[0]?.stopped).toBe(true);
    const again = tunnels.start(target);
    (await provider.nextAttempt(1)).online('https://second.ngrok.app');
    await again;
    expect(tunnels.status.url).toBe('https://second.ngrok.app');
  });

  it('stops promptly while a connect hangs, and ignores its late answer', async () => {
    const { provider, tunnels, names } = controller(60_000);
    const pending = tunnels.start(target);
    const hung = await provider.nextAttempt(0);
    const stopping = Date.now();
    await tunnels.stop();
    expect(Date.now() - stopping).toBeLessThan(500);
    expect(hung.stopped).toBe(true);
    hung.online('https://late.ngrok.app');
    await pending;
    expect(tunnels.status.state).toBe('off');
    expect(names()).toEqual(['connecting', 'off']);
  });

  it('a new start abandons a hung attempt', async () => {
    const { provider, tunnels } = controller(60_000);
    const first = tunnels.start(target);
    const hung = await provider.nextAttempt(0);
    const second = tunnels.start({ host: '127.0.0.1', port: 9000 });
    const fresh = await provider.nextAttempt(1);
    expect(hung.stopped).toBe(true);
    fresh.online('https://fresh.ngrok.app');
    await second;
    hung.online('https://stale.ngrok.app');
    // The abandoned start settles once it has seen (and discarded) its late answer.
    await first;
    expect(tunnels.status.url).toBe('https://fresh.ngrok.app');
  });

  it('a stop while the previous tunnel is closing wins over the start', async () => {
    const { provider, tunnels } = controller();
    const first = tunnels.start(target);
    (await provider.nextAttempt(0)).online('https://abc.ngrok.app');
    await first;
    const restarting = tunnels.start(target);
    const stopping = tunnels.stop();
    await Promise.all([restarting, stopping]);
    expect(tunnels.status.state).toBe('off');
    expect(provider.attempts).toHaveLength(1);
  });

  it('follows the receiver to a new port', async () => {
    const { provider, tunnels } = controller();
    const started = tunnels.start(target);
    (await provider.nextAttempt(0)).online('https://abc.ngrok.app');
    await started;
    tunnels.retarget({ host: '127.0.0.1', port: 9999 });
    const moved = await provider.nextAttempt(1);
    expect(moved.target.port).toBe(9999);
    expect(provider.attempts[0]?.stopped).toBe(true);
  });

  it('says so when no provider is available', async () => {
    const tunnels = new TunnelController(null, () => ({}));
    await tunnels.start(target);
    expect(tunnels.status).toMatchObject({ state: 'error', message: 'No tunnel provider is available in this build.' });
  });
});
