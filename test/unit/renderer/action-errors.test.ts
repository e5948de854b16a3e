import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAppStore, type AppState, type AppStore } from '../../../src/renderer/src/store';
import type { Api } from '../../../src/shared/api';
import type { ApiCallName } from '../../../src/shared/api-names';
import { directApi } from '../../helpers/direct-api';
import { post } from '../../helpers/http';
import { startInspector, type RunningInspector } from '../../helpers/inspector';

let running: RunningInspector;
let real: Api;

/** A store on the real core, except that `call` fails the way a dropped transport or a refusal would. */
function storeFailing(call: ApiCallName, message: string): AppStore {
  return createAppStore({ ...real, [call]: () => Promise.reject(new Error(message)) });
}

beforeEach(async () => {
  running = await startInspector();
  real = directApi(running.inspector);
  // Two deliveries, so there is something to page, select, delete and clear.
  for (const id of ['evt_a', 'evt_b']) expect((await post(running.url, JSON.stringify({ id, type: 'webhook.test' }))).status).toBe(200);
});

afterEach(async () => {
  await running.stop();
});

describe('failing actions become messages in state, never rejections', () => {
  it('stopTunnel', async () => {
    const store = storeFailing('stopTunnel', 'The tunnel did not stop');
    await store.getState().loadStatus();
    await expect(store.getState().stopTunnel()).resolves.toBeUndefined();
    expect(store.getState().tunnelError).toBe('The tunnel did not stop');
    expect(store.getState().tunnelBusy).toBe(false);
  });

  it('startTunnel, shown with the tunnel controls, and cleared by the next success', async () => {
    const store = storeFailing('startTunnel', 'The tunnel did not start');
    await store.getState().loadStatus();
    await expect(store.getState().startTunnel()).resolves.toBeUndefined();
    expect(store.getState().tunnelError).toBe('The tunnel did not start');
    await store.getState().stopTunnel();
    expect(store.getState().tunnelError).toBeNull();
  });

  it('deleteSelected keeps the delivery and says why', async () => {
    const store = storeFailing('deleteDelivery', 'The database is read-only');
    await store.getState().loadFeed();
    const [newest] = store.getState().items;
    store.getState().select(newest!.id);
    await store.getState().loadDetail(newest!.id);
    await expect(store.getState().deleteSelected()).resolves.toBeUndefined();
    expect(store.getState().deleteError).toBe('The database is read-only');
    expect(store.getState().items).toHaveLength(2);
    expect(store.getState().selectedId).toBe(newest!.id);
    expect(store.getState().view?.delivery.id).toBe(newest!.id);
  });

  it('clearAll keeps the feed and says why', async () => {
    const store = storeFailing('clearDeliveries', 'The database is locked');
    await store.getState().loadFeed();
    await expect(store.getState().clearAll()).resolves.toBe(false);
    expect(store.getState().clearError).toBe('The database is locked');
    expect(store.getState().items).toHaveLength(2);
    expect(await real.listDeliveries({})).toHaveLength(2);
  });

  // Already caught before; kept here so none of them regresses into a rejection.
  const caught: [ApiCallName, (state: AppState) => Promise<unknown>, (state: AppState) => string | null][] = [
    ['listDeliveries', (s) => s.loadFeed(), (s) => s.feedError],
    ['getDelivery', (s) => s.loadDetail(1), (s) => s.detailError],
    ['getStatus', (s) => s.loadStatus(), (s) => s.statusError],
    ['listSecrets', (s) => s.loadSettings(), (s) => s.settingsError],
    ['setResponse', (s) => s.saveResponse({ status: 202, body: null, contentType: 'application/json', delayMs: 0, strict: false }), (s) => s.settingsError],
    ['setReceiver', (s) => s.saveReceiver(0, '/elsewhere'), (s) => s.settingsError],
    ['setTunnelSettings', (s) => s.saveTunnelSettings({ domain: null }), (s) => s.settingsError],
    ['addSecret', (s) => s.addSecret('staging', 'whsec_staging'), (s) => s.settingsError],
  ];
  it.each(caught)('%s', async (call, action, error) => {
    const store = storeFailing(call, `${call} failed`);
    await action(store.getState());
    expect(error(store.getState())).toBe(`${call} failed`);
  });

  it('loadMore', async () => {
    let calls = 0;
    const store = createAppStore({ ...real, listDeliveries: (filter) => (++calls === 1 ? real.listDeliveries(filter) : Promise.reject(new Error('paging failed'))) });
    await store.getState().loadFeed();
    store.setState({ hasMore: true }); // as if the first page were full
    await expect(store.getState().loadMore()).resolves.toBeUndefined();
    expect(store.getState().feedError).toBe('paging failed');
    expect(store.getState().loading).toBe(false);
  });
});
