// The renderer's store on a real core (the same contract and handlers as IPC): the setup and the
// delivering helpers its tests share.
import { afterEach, beforeEach } from 'vitest';
import { sampleEvent } from '../../../src/main/profile/samples';
import { sign } from '../../../src/main/profile/signature';
import { connectStore, createAppStore, type AppStore } from '../../../src/renderer/src/store';
import type { Api } from '../../../src/shared/api';
import type { EventType } from '../../../src/shared/reviewsense/catalogue';
import { directApi } from '../../helpers/direct-api';
import { post } from '../../helpers/http';
import { startInspector, type RunningInspector } from '../../helpers/inspector';

export const SECRET = 'whsec_test_current';
/** The core and the store on it, fresh for each test (set by useStoreHarness). */
export const t = {} as { running: RunningInspector; store: AppStore; api: Api; frames: (() => void)[]; disconnect: () => void };

export async function deliver(type: EventType, options: { id?: string; secret?: string } = {}) {
  const event = sampleEvent(type, options.id ? { id: options.id } : {});
  const body = JSON.stringify(event);
  await post(t.running.url, body, { 'x-reviewsense-signature': sign(options.secret ?? SECRET, body) });
  return event.id;
}

/** Posts `count` deliveries with event ids evt_0…, a few at a time (their order within a batch is the receiver's). */
export async function deliverMany(count: number) {
  const ids = Array.from({ length: count }, (_, i) => `evt_${i}`);
  for (let i = 0; i < count; i += 25) await Promise.all(ids.slice(i, i + 25).map((id) => deliver('webhook.test', { id })));
  return ids;
}

export function runFrame() {
  for (const frame of t.frames.splice(0)) frame();
}

/** Posts `count` deliveries as a stream the page follows: a frame after every few. */
export async function stream(count: number) {
  for (let i = 0; i < count; i += 25) {
    await Promise.all(Array.from({ length: Math.min(25, count - i) }, () => deliver('webhook.test')));
    runFrame();
  }
}

/** Pages down until the core has no older row. */
export async function pageToTheEnd() {
  while (t.store.getState().hasMore) await t.store.getState().loadMore();
}

export const idsOf = (items: { id: number }[]) => items.map((item) => item.id);
/** Every stored delivery's id, newest first. */
export const storedIds = () => idsOf(t.running.inspector.listDeliveries({ limit: 1000 }));

/** A real core per test, and the renderer's store connected to it; pushes flush on runFrame(). */
export function useStoreHarness(): void {
  beforeEach(async () => {
    t.running = await startInspector();
    t.api = directApi(t.running.inspector);
    t.store = createAppStore(t.api);
    t.frames = [];
    t.disconnect = connectStore(t.store, t.api, (flush) => t.frames.push(flush));
  });

  afterEach(async () => {
    t.disconnect();
    await t.running.stop();
  });
}
