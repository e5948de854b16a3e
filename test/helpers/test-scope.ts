import { afterEach } from 'vitest';
import type { InspectorConfig } from '../../src/main/inspector/inspector';
import { startApp, type Responder, type TestApp } from './app-server';
import { startInspector, type RunningInspector } from './inspector';

/**
 * What a test file starts (Inspectors, apps, anything with a cleanup), stopped after each test,
 * last started first.
 */
export function testScope() {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    /** Runs `cleanup` after this test. */
    defer(cleanup: () => Promise<void> | void): void {
      cleanups.push(cleanup);
    },
    async inspector(config: Partial<InspectorConfig> = {}): Promise<RunningInspector> {
      const running = await startInspector(config);
      cleanups.push(() => running.stop());
      return running;
    },
    async app(respond?: Responder, port?: number): Promise<TestApp> {
      const started = await startApp(respond, port);
      cleanups.push(() => started.close());
      return started;
    },
  };
}
