import { afterEach, describe, expect, it, vi } from 'vitest';
import { connectStore, createAppStore } from '../../../src/renderer/src/store';
import type { Api } from '../../../src/shared/api';
import { useCoreAndStores } from '../../helpers/core-and-stores';
import { directApi } from '../../helpers/direct-api';
import { fakeTunnelProvider } from '../../helpers/fake-tunnel';
import { startInspector } from '../../helpers/inspector';

const { core, connected } = useCoreAndStores();

describe('status slice', () => {
  it('an answer to getStatus overtaken by a pushed status does not take that status back (a background problem stays said)', async () => {
    // The core's answer, read now, reaches the store only after a newer status was pushed.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const api: Api = {
      ...core.api,
      getStatus: async () => {
        const answer = await core.api.getStatus();
        await gate;
        return answer;
      },
    };
    const store = connected(api);
    store.getState().setStatus(await core.api.getStatus());
    const loading = store.getState().loadStatus();
    // Pushed meanwhile, as the event stream does (index.ts applies pushes through setStatus).
    const problem = { task: 'search indexing', message: 'database is locked', since: Date.now(), retryAt: Date.now() + 1_000 };
    store.getState().setStatus({ ...(await core.api.getStatus()), problems: [problem] });
    release();
    await loading;
    expect(store.getState().status?.problems).toEqual([problem]);

    // With nothing pushed meanwhile, the answer is taken.
    await store.getState().loadStatus();
    expect(store.getState().status?.problems).toEqual([]);
  });
});

describe('status slice: the tunnel', () => {
  const stops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
  });

  it('a Start answer overtaken by a pushed tunnel status does not take it back (reconnecting stays said)', async () => {
    const provider = fakeTunnelProvider();
    const running = await startInspector({}, { tunnelFactory: provider.factory });
    stops.push(() => running.stop());
    const core = directApi(running.inspector);
    // Start's answer is read in the core when the tunnel is online, and held on its way.
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const api: Api = {
      ...core,
      startTunnel: async () => {
        const answer = await core.startTunnel();
        await gate;
        return answer;
      },
    };
    const store = createAppStore(api);
    const disconnect = connectStore(store, api, (flush) => flush());
    stops.push(async () => disconnect());
    await store.getState().loadStatus();

    const starting = store.getState().startTunnel();
    const attempt = await provider.nextAttempt(0);
    attempt.online('https://hooklens-test.ngrok.app');
    await vi.waitFor(() => expect(store.getState().status?.tunnel.state).toBe('online'));
    // The provider loses its connection after the answer was read: pushed, and newer.
    attempt.report({ state: 'reconnecting', url: 'https://hooklens-test.ngrok.app', message: 'connection lost; reconnecting' });
    await vi.waitFor(() => expect(store.getState().status?.tunnel.state).toBe('reconnecting'));
    release();
    await starting;
    expect(store.getState().status?.tunnel).toMatchObject({ state: 'reconnecting', message: 'connection lost; reconnecting' });
    expect(store.getState().tunnelError).toBeNull();
  });
});
