import { afterEach, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../../src/main/profile/samples';
import { sign } from '../../../src/main/profile/signature';
import { connectStore, createAppStore, type AppStore } from '../../../src/renderer/src/store';
import { outLabel } from '../../../src/renderer/src/lib/attempt-text';
import { freePort, startApp } from '../../helpers/app-server';
import { directApi } from '../../helpers/direct-api';
import { post } from '../../helpers/http';
import { startInspector, type RunningInspector } from '../../helpers/inspector';

const SECRET = 'whsec_test_current';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A real Inspector whose pushed events reach a renderer store; frames run when the test says. */
async function connected(config: Parameters<typeof startInspector>[0]) {
  const running: RunningInspector = await startInspector(config);
  const api = directApi(running.inspector);
  const store: AppStore = createAppStore(api);
  const frames: (() => void)[] = [];
  const disconnect = connectStore(store, api, (flush) => frames.push(flush));
  cleanups.push(async () => {
    disconnect();
    await running.stop();
  });
  await store.getState().loadFeed();
  const runFrames = () => {
    for (const frame of frames.splice(0)) frame();
  };
  return { running, store, runFrames };
}

async function deliver(url: string, id: string) {
  const body = JSON.stringify(sampleEvent('review.analysed', { id }));
  return post(url, body, { 'x-reviewsense-signature': sign(SECRET, body) });
}

describe('forwarded rows in the feed', () => {
  it('mirror mode: the row waits for the app’s answer, then shows the status the sender got, without a reload', async () => {
    const app = await startApp((_request, response) => response.writeHead(418).end('teapot'));
    cleanups.push(() => app.close());
    const { running, store, runFrames } = await connected({ forwarding: { enabled: true, target: app.url('/webhooks'), mirror: true } });
    const loads: number[] = [];
    const spied = store.getState().loadFeed;
    store.setState({ loadFeed: async () => void loads.push(1) });

    expect((await deliver(running.url, 'evt_row_teapot')).status).toBe(418);
    await expect.poll(() => (runFrames(), store.getState().items[0]?.responseStatus)).toBe(418);
    expect(store.getState().items[0]).toMatchObject({ eventId: 'evt_row_teapot', answerPending: false });
    expect(loads).toEqual([]);
    store.setState({ loadFeed: spied });
  });

  it('every queued row says queued, and stops saying so once its forward is answered', async () => {
    const port = await freePort();
    const { running, store, runFrames } = await connected({ forwarding: { enabled: true, target: `http://127.0.0.1:${port}/webhooks`, mirror: false } });
    for (const id of ['evt_row_q1', 'evt_row_q2']) expect((await deliver(running.url, id)).status).toBe(200);
    await expect.poll(() => (runFrames(), store.getState().items.map((row) => outLabel(row)?.text))).toEqual(['queued', 'queued']);

    const app = await startApp(undefined, port);
    cleanups.push(() => app.close());
    running.inspector.retryForwardQueue();
    await expect.poll(() => (runFrames(), store.getState().items.map((row) => outLabel(row)?.text)), { timeout: 20_000 }).toEqual(['→ 200 ✓', '→ 200 ✓']);
    expect(store.getState().items.map((row) => row.forwardQueued)).toEqual([false, false]);
  });

  it('a queued row whose forward is dropped stops saying queued', async () => {
    const port = await freePort();
    const { running, store, runFrames } = await connected({ forwarding: { enabled: true, target: `http://127.0.0.1:${port}/webhooks`, mirror: false } });
    expect((await deliver(running.url, 'evt_row_dropped')).status).toBe(200);
    await expect.poll(() => (runFrames(), store.getState().items[0]?.forwardQueued)).toBe(true);
    await store.getState().clearForwardQueue();
    await expect.poll(() => (runFrames(), store.getState().items[0]?.forwardQueued)).toBe(false);
    expect(outLabel(store.getState().items[0]!)?.text).toBe('→ ✗');
  });

  it('a pause pushed before the Save call\'s answer arrives stays said (the event stream can beat the answer)', async () => {
    const port = await freePort();
    const running: RunningInspector = await startInspector({ forwarding: { enabled: true, target: `http://127.0.0.1:${port}/webhooks`, mirror: false } });
    const real = directApi(running.inspector);
    // The answer to setForwarding reaches the store only after the pause it led to was pushed.
    let pushedPause: Promise<void> = Promise.resolve();
    const api = { ...real, setForwarding: async (...args: Parameters<typeof real.setForwarding>) => {
      const answer = await real.setForwarding(...args);
      await pushedPause;
      return answer;
    } };
    const store: AppStore = createAppStore(api);
    const disconnect = connectStore(store, api, (flush) => flush());
    cleanups.push(async () => {
      disconnect();
      await running.stop();
    });
    expect((await deliver(running.url, 'evt_row_paused')).status).toBe(200);
    pushedPause = new Promise((resolve) => {
      const off = real.on('forwarding', (status) => status.paused && (off(), resolve()));
    });

    await store.getState().saveForwarding({ enabled: true, target: 'http://10.255.255.1:3000/webhooks', mirror: false });
    expect(store.getState().forwarding?.paused).toContain('10.255.255.1 resolves to 10.255.255.1, which is not this machine');
    expect(store.getState().forwarding?.target).toBe('http://10.255.255.1:3000/webhooks');
  });
});
