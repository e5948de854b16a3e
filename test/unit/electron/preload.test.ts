import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../../src/shared/api';
import { API_CALL_NAMES } from '../../../src/shared/api-names';
import { callChannel, EVENT_CHANNEL } from '../../../src/shared/ipc-channels';
import { fakeElectron, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron);

/** Runs the real preload entry against the fake contextBridge and returns what it exposed. */
async function loadPreload(): Promise<Api> {
  vi.resetModules();
  await import('../../../src/preload/index');
  return fakeElectron.contextBridge.exposed.get('hooklens') as Api;
}

describe('preload bridge', () => {
  beforeEach(() => resetFakeElectron());

  it('exposes window.hooklens with exactly the contract calls plus on, all functions', async () => {
    const api = await loadPreload();
    expect([...fakeElectron.contextBridge.exposed.keys()]).toEqual(['hooklens']);
    expect(Object.keys(api).sort()).toEqual([...API_CALL_NAMES, 'on'].sort());
    expect(Object.values(api).every((value) => typeof value === 'function')).toBe(true);
    expect(api).not.toHaveProperty('invoke');
  });

  it('invokes the call channel with the arguments and unwraps the result', async () => {
    const api = await loadPreload();
    fakeElectron.ipcRenderer.invoke.mockResolvedValueOnce({ result: { id: 7 } });
    await expect(api.getDelivery(7)).resolves.toEqual({ id: 7 });
    expect(fakeElectron.ipcRenderer.invoke).toHaveBeenCalledWith(callChannel('getDelivery'), 7);
  });

  it('turns an error reply into a rejected Error with the message', async () => {
    const api = await loadPreload();
    fakeElectron.ipcRenderer.invoke.mockResolvedValueOnce({ error: { name: 'ApiInputError', message: 'id must be a whole number from 1 to 9.' } });
    await expect(api.getDelivery(0)).rejects.toThrow('id must be a whole number from 1 to 9.');
  });

  it('passes only the payload of the subscribed event, and unsubscribes', async () => {
    const api = await loadPreload();
    const deliveries: unknown[] = [];
    const unsubscribe = api.on('delivery', (payload) => deliveries.push(payload));
    fakeElectron.ipcRenderer.deliver(EVENT_CHANNEL, 'delivery', { id: 1 });
    fakeElectron.ipcRenderer.deliver(EVENT_CHANNEL, 'tunnel', { state: 'online' });
    expect(deliveries).toEqual([{ id: 1 }]);

    unsubscribe();
    expect(fakeElectron.ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
    fakeElectron.ipcRenderer.deliver(EVENT_CHANNEL, 'delivery', { id: 2 });
    expect(deliveries).toEqual([{ id: 1 }]);
  });

  it('never hands the listener the Electron event object', async () => {
    const api = await loadPreload();
    const listener = vi.fn();
    api.on('status', listener);
    fakeElectron.ipcRenderer.deliver(EVENT_CHANNEL, 'status', { counts: {} });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener.mock.calls[0]).toEqual([{ counts: {} }]);
  });

  it('refuses events outside the contract', async () => {
    const api = await loadPreload();
    expect(() => api.on('storage-error' as never, () => {})).toThrow(/Unknown Hooklens event "storage-error"/);
    expect(() => api.on('__proto__' as never, () => {})).toThrow(/Unknown Hooklens event/);
    expect(fakeElectron.ipcRenderer.on).not.toHaveBeenCalled();
  });
});
