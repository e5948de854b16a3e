import { afterEach, beforeEach } from 'vitest';
import { connectStore, createAppStore, type AppStore } from '../../src/renderer/src/store';
import type { Api } from '../../src/shared/api';
import { directApi } from './direct-api';
import { startInspector, type RunningInspector } from './inspector';

/**
 * A real core per test, and renderer stores connected to it with pushed events applied at once
 * (no animation frames); the stores are disconnected and the core stopped after each test.
 */
export function useCoreAndStores() {
  const core = {} as { running: RunningInspector; api: Api };
  const disconnects: (() => void)[] = [];
  beforeEach(async () => {
    core.running = await startInspector();
    core.api = directApi(core.running.inspector);
  });
  afterEach(async () => {
    for (const disconnect of disconnects.splice(0)) disconnect();
    await core.running.stop();
  });
  return {
    core,
    /** A store on the core's Api, or on `through` (an Api wrapped by the test). */
    connected(through: Api = core.api): AppStore {
      const store = createAppStore(through);
      disconnects.push(connectStore(store, through, (flush) => flush()));
      return store;
    },
  };
}
