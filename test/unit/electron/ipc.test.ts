import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { API_CALL_NAMES, API_EVENT_NAMES } from '../../../src/shared/api-names';
import { callChannel, EVENT_CHANNEL } from '../../../src/shared/ipc-channels';
import { forwardEventsToWindow, registerApiIpc } from '../../../src/main/electron/ipc';
import { startInspector, type RunningInspector } from '../../helpers/inspector';
import { FakeBrowserWindow, fakeElectron, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron);

const APP_PAGE = 'app://hooklens/index.html';

// Every test gets a fresh fake Electron and a real Inspector.
let running: RunningInspector;

beforeEach(async () => {
  resetFakeElectron();
  running = await startInspector();
});
afterEach(async () => {
  await running.stop();
});

describe('IPC handlers', () => {

  it('registers one handler per call of the contract, and removes them all', () => {
    const unregister = registerApiIpc(running.inspector);
    expect([...fakeElectron.ipcMain.handlers.keys()].sort()).toEqual(API_CALL_NAMES.map(callChannel).sort());
    unregister();
    expect(fakeElectron.ipcMain.handlers.size).toBe(0);
  });

  it('refuses a call whose sender frame is gone (null)', async () => {
    registerApiIpc(running.inspector);
    const reply = await fakeElectron.ipcMain.invoke(callChannel('clearDeliveries'), null);
    expect(reply).toEqual({ error: { name: 'ForbiddenSender', message: expect.stringContaining('did not come from the Hooklens window') } });
  });

  it.each(['https://evil.example/', 'file:///tmp/index.html', 'app://hooklens.evil/index.html', 'app://other/index.html', 'http://127.0.0.1:8788/', 'not a url'])(
    'refuses a call from %s and does not run it',
    async (senderUrl) => {
      const spy = vi.spyOn(running.inspector, 'clearDeliveries');
      registerApiIpc(running.inspector);
      const reply = await fakeElectron.ipcMain.invoke(callChannel('clearDeliveries'), senderUrl);
      expect(reply).toMatchObject({ error: { name: 'ForbiddenSender' } });
      expect(spy).not.toHaveBeenCalled();
    },
  );

  it('refuses when reading the frame throws (destroyed frame)', async () => {
    registerApiIpc(running.inspector);
    const handler = fakeElectron.ipcMain.handlers.get(callChannel('getStatus'));
    const destroyedFrame = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(await handler?.({ senderFrame: destroyedFrame })).toMatchObject({ error: { name: 'ForbiddenSender' } });
  });

  it('dispatches a call from app://hooklens to the Inspector', async () => {
    registerApiIpc(running.inspector);
    const reply = (await fakeElectron.ipcMain.invoke(callChannel('getStatus'), APP_PAGE)) as { result: { receiver: { url: string } } };
    expect(reply.result.receiver.url).toBe(running.url);
    expect(await fakeElectron.ipcMain.invoke(callChannel('getDelivery'), APP_PAGE, 12345)).toEqual({ result: null });
  });

  it('answers invalid arguments with the validator message instead of throwing', async () => {
    registerApiIpc(running.inspector);
    expect(await fakeElectron.ipcMain.invoke(callChannel('getDelivery'), APP_PAGE, 'one')).toEqual({
      error: { name: 'ApiInputError', message: 'id must be a whole number from 1 to 9007199254740991.' },
    });
    expect(await fakeElectron.ipcMain.invoke(callChannel('setReceiver'), APP_PAGE, { port: 8787, path: '/x', host: '0.0.0.0' })).toMatchObject({
      error: { name: 'ApiInputError', message: expect.stringContaining('receiver.host must be one of the known fields') },
    });
  });

  it('answers a failure of the core as an error value', async () => {
    registerApiIpc(running.inspector);
    expect(await fakeElectron.ipcMain.invoke(callChannel('removeSecret'), APP_PAGE, 'runtime-1')).toEqual({
      error: { name: 'ApiInputError', message: expect.stringContaining('cannot be changed here') },
    });
  });
});

describe('pushed events', () => {

  async function deliverOne(): Promise<void> {
    const response = await fetch(running.url, { method: 'POST', body: '{"id":"evt_1","type":"review.analysed","data":{}}' });
    expect(response.status).toBe(200);
  }

  it('sends every contract event to the window on one channel, and stops when it closes', async () => {
    const { inspector } = running;
    const unsubscribed: string[] = [];
    const subscribe = inspector.on.bind(inspector);
    vi.spyOn(inspector, 'on').mockImplementation((event, listener) => {
      const off = subscribe(event, listener);
      return () => {
        unsubscribed.push(event);
        off();
      };
    });
    const window = new FakeBrowserWindow({});
    window.webContents.url = 'app://hooklens/index.html';
    forwardEventsToWindow(inspector, window as never);

    await deliverOne();
    const sent = window.webContents.send.mock.calls;
    expect(sent.every(([channel]) => channel === EVENT_CHANNEL)).toBe(true);
    expect(sent.find(([, event]) => event === 'delivery')?.[2]).toMatchObject({ id: 1, eventId: 'evt_1', eventType: 'review.analysed' });
    inspector.clearDeliveries();
    expect(sent.find(([, event]) => event === 'status')?.[2]).toMatchObject({ counts: { total: 0 } });

    window.close();
    expect(unsubscribed.sort()).toEqual([...API_EVENT_NAMES].sort());
    window.webContents.send.mockClear();
    await deliverOne();
    expect(window.webContents.send).not.toHaveBeenCalled();
  });

  it('does not push events to a page that is not the app', async () => {
    const window = new FakeBrowserWindow({});
    window.webContents.url = 'https://evil.example/';
    forwardEventsToWindow(running.inspector, window as never);
    await deliverOne();
    expect(window.webContents.send).not.toHaveBeenCalled();
  });
});
