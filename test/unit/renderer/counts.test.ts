import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../../src/main/profile/samples';
import { sign } from '../../../src/main/profile/signature';
import { connectStore, createAppStore, type AppStore } from '../../../src/renderer/src/store';
import type { Api } from '../../../src/shared/api';
import type { DeliverySummary } from '../../../src/shared/delivery';
import { directApi } from '../../helpers/direct-api';
import { post } from '../../helpers/http';
import { startInspector, type RunningInspector } from '../../helpers/inspector';

const SECRET = 'whsec_test_current';

/**
 * The real core's Api, except that the test decides when pushed deliveries and getStatus answers
 * reach the store: the transport may deliver them in an order other than the one they were made in.
 */
function reorderingApi(real: Api) {
  let heldDeliveries: (() => void)[] | null = null;
  let statusGate: Promise<void> | null = null;
  const api: Api = {
    ...real,
    on: ((event, listener) => {
      if (event !== 'delivery') return real.on(event, listener);
      const onDelivery = listener as (delivery: DeliverySummary) => void;
      return real.on('delivery', (delivery) => (heldDeliveries ? heldDeliveries.push(() => onDelivery(delivery)) : onDelivery(delivery)));
    }) as Api['on'],
    getStatus() {
      // The answer is computed now; a held one arrives only when released.
      const answer = real.getStatus();
      const gate = statusGate;
      statusGate = null;
      return gate ? gate.then(() => answer) : answer;
    },
  };
  return {
    api,
    holdDeliveries() {
      heldDeliveries = [];
    },
    releaseDeliveries() {
      const held = heldDeliveries ?? [];
      heldDeliveries = null;
      held.forEach((deliver) => deliver());
    },
    /** Holds the next getStatus answer; the returned function lets it arrive. */
    holdNextStatus(): () => void {
      let release = () => {};
      statusGate = new Promise<void>((resolve) => (release = resolve));
      return release;
    },
  };
}

let running: RunningInspector;
let real: Api;
let control: ReturnType<typeof reorderingApi>;
let store: AppStore;
let frames: (() => void)[];
let disconnect: () => void;

function runFrame() {
  for (const frame of frames.splice(0)) frame();
}

async function deliver(options: { id?: string; secret?: string } = {}) {
  const event = sampleEvent('review.analysed', options.id ? { id: options.id } : {});
  const body = JSON.stringify(event);
  const answer = await post(running.url, body, { 'x-reviewsense-signature': sign(options.secret ?? SECRET, body) });
  expect(answer.status).toBe(200);
  return event.id;
}

/** A valid delivery, a duplicate of it and one with a wrong signature. */
async function deliverMix() {
  const id = await deliver();
  await deliver({ id });
  await deliver({ secret: 'whsec_wrong' });
}

async function truth() {
  return (await real.getStatus()).counts;
}

beforeEach(async () => {
  running = await startInspector();
  real = directApi(running.inspector);
  control = reorderingApi(real);
  store = createAppStore(control.api);
  frames = [];
  disconnect = connectStore(store, control.api, (flush) => frames.push(flush));
});

afterEach(async () => {
  disconnect();
  await running.stop();
});

describe('delivery counts', () => {
  it('does not count twice deliveries that a status pushed before the frame already includes', async () => {
    await store.getState().loadStatus();
    await deliverMix();
    expect(frames).toHaveLength(1);
    // Adding a secret makes the core push a status, whose counts include the queued deliveries.
    await real.addSecret({ label: 'staging', value: 'whsec_staging' });
    runFrame();
    expect(store.getState().status?.counts.total).toBe(3);
    expect(store.getState().status?.counts).toEqual(await truth());
  });

  it('does not count twice deliveries whose event arrives after a status that includes them', async () => {
    await store.getState().loadStatus();
    control.holdDeliveries();
    await deliverMix();
    await real.addSecret({ label: 'staging', value: 'whsec_staging' });
    expect(store.getState().status?.counts.total).toBe(3);
    control.releaseDeliveries();
    runFrame();
    expect(store.getState().status?.counts.total).toBe(3);
    expect(store.getState().status?.counts).toEqual(await truth());
  });

  it('keeps counts of pushed deliveries when a getStatus answer from before them arrives late', async () => {
    await store.getState().loadStatus();
    const release = control.holdNextStatus();
    const stale = store.getState().loadStatus();
    await deliverMix();
    runFrame();
    expect(store.getState().status?.counts.total).toBe(3);
    release();
    await stale;
    expect(store.getState().status?.counts.total).toBe(3);
    expect(store.getState().status?.counts).toEqual(await truth());
  });

  it('counts deliveries pushed before the first status arrived', async () => {
    const release = control.holdNextStatus();
    const first = store.getState().loadStatus();
    await deliverMix();
    runFrame();
    release();
    await first;
    expect(store.getState().status?.counts.total).toBe(3);
    expect(store.getState().status?.counts).toEqual(await truth());
  });

  it('takes a status with lower totals after a deletion', async () => {
    await store.getState().loadStatus();
    await deliverMix();
    runFrame();
    const [newest] = await real.listDeliveries({});
    await real.deleteDelivery(newest!.id);
    expect(store.getState().status?.counts.total).toBe(2);
    expect(store.getState().status?.counts).toEqual(await truth());
  });
});
