import { afterEach, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../../src/shared/api';
import type { ForwardingStatus } from '../../../src/shared/outgoing';
import type { TunnelStatus } from '../../../src/shared/tunnel-status';
import { directApi } from '../../helpers/direct-api';
import { fakeTunnelProvider } from '../../helpers/fake-tunnel';
import { startInspector } from '../../helpers/inspector';

// A client keeps the copy of a status with the highest revision, answer or push (revision.ts), so
// in the core a later read or change must always carry a higher one.

const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const stop of stops.splice(0)) await stop();
});

async function core() {
  const provider = fakeTunnelProvider();
  const running = await startInspector({}, { tunnelFactory: provider.factory });
  stops.push(() => running.stop());
  const api = directApi(running.inspector);
  const pushed = { status: [] as AppStatus[], tunnel: [] as TunnelStatus[], forwarding: [] as ForwardingStatus[] };
  api.on('status', (status) => pushed.status.push(status));
  api.on('tunnel', (status) => pushed.tunnel.push(status));
  api.on('forwarding', (status) => pushed.forwarding.push(status));
  return { api, provider, pushed };
}

const growing = (revisions: number[]) => revisions.every((revision, i) => i === 0 || revision > revisions[i - 1]!);

describe('status revisions in the core', () => {
  it('the app status and its tunnel: every read and every push after the one before', async () => {
    const { api, provider, pushed } = await core();
    const first = await api.getStatus();
    const starting = api.startTunnel();
    const attempt = await provider.nextAttempt(0);
    attempt.online('https://revisions.ngrok.app');
    const answer = await starting;
    attempt.report({ state: 'reconnecting', url: 'https://revisions.ngrok.app', message: 'connection lost' });
    await expect.poll(() => pushed.tunnel.at(-1)?.state).toBe('reconnecting');
    const last = await api.getStatus();

    const online = pushed.tunnel.find((status) => status.state === 'online')!;
    const reconnecting = pushed.tunnel.find((status) => status.state === 'reconnecting')!;
    expect(pushed.tunnel.map((status) => status.state)).toEqual(['connecting', 'online', 'reconnecting']);
    expect(growing([first.tunnel.revision, ...pushed.tunnel.map((status) => status.revision), last.tunnel.revision])).toBe(true);
    // The answer was read after the online push and before the reconnecting one.
    expect(answer.state).toBe('online');
    expect(answer.revision).toBeGreaterThan(online.revision);
    expect(answer.revision).toBeLessThan(reconnecting.revision);
    expect(last.tunnel).toMatchObject({ state: 'reconnecting', message: 'connection lost' });
    expect(growing([first.revision, ...pushed.status.map((status) => status.revision), last.revision])).toBe(true);
  });

  it('forwarding: a save’s answer and the status pushed after it, in the order they were read', async () => {
    const { api, pushed } = await core();
    const before = await api.getForwarding();
    const saved = await api.setForwarding({ enabled: true, target: 'http://127.0.0.1:9/hooks', mirror: false });
    await expect.poll(() => pushed.forwarding.length).toBeGreaterThan(0);
    const after = await api.getForwarding();
    expect(growing([before.revision, saved.revision, ...pushed.forwarding.map((status) => status.revision), after.revision])).toBe(true);
  });
});
