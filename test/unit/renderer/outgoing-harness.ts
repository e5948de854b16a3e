import { afterEach, beforeEach } from 'vitest';
import { sampleEvent } from '../../../src/main/profile/samples';
import { sign } from '../../../src/main/profile/signature';
import { connectStore, createAppStore, type AppStore } from '../../../src/renderer/src/store';
import type { Api } from '../../../src/shared/api';
import type { EventType } from '../../../src/shared/reviewsense/catalogue';
import { directApi } from '../../helpers/direct-api';
import { post } from '../../helpers/http';
import { startInspector, type RunningInspector } from '../../helpers/inspector';

/** The runtime secret `startInspector` gives the core. */
export const SECRET = 'whsec_test_current';

export interface Harness {
  running: RunningInspector;
  api: Api;
  store: AppStore;
  /** Flushes queued pushes, as the next animation frame would. */
  runFrame: () => void;
  pendingFrames: () => number;
  deliver: (type: EventType, body?: string) => Promise<{ id: string; body: string }>;
}

/** A real core and the renderer's store on it (same contract and handlers as IPC), per test. */
export function useHarness(): Harness {
  const harness = {} as Harness;
  let frames: (() => void)[] = [];
  let disconnect = () => {};
  beforeEach(async () => {
    harness.running = await startInspector();
    harness.api = directApi(harness.running.inspector);
    harness.store = createAppStore(harness.api);
    frames = [];
    disconnect = connectStore(harness.store, harness.api, (flush) => frames.push(flush));
    harness.runFrame = () => frames.splice(0).forEach((frame) => frame());
    harness.pendingFrames = () => frames.length;
    harness.deliver = async (type, body) => {
      const event = sampleEvent(type);
      const text = body ?? JSON.stringify(event);
      const answer = await post(harness.running.url, text, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, text) });
      if (answer.status !== 200) throw new Error(`receiver answered ${answer.status}`);
      return { id: event.id, body: text };
    };
  });
  afterEach(async () => {
    disconnect();
    await harness.running.stop();
  });
  return harness;
}
