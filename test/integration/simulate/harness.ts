// What the simulate tests share: the handlers, Inspectors and cleanups a test starts (stopped after
// it), and what a handler must have received from a simulation.
import { afterEach, expect } from 'vitest';
import type { Inspector } from '../../../src/main/inspector/inspector';
import { verifiesRaw, type WebhookHandler } from '../../helpers/handlers';
import { startInspector, type RunningInspector } from '../../helpers/inspector';

/** What a test starts, stopped after it: Inspectors, then the cleanups (last first), then the handlers. */
export function simulationScope() {
  const started: WebhookHandler[] = [];
  const inspectors: RunningInspector[] = [];
  const cleanups: (() => Promise<void> | void)[] = [];

  afterEach(async () => {
    for (const running of inspectors.splice(0)) await running.stop();
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    for (const handler of started.splice(0)) await handler.close();
  });

  async function handler(start: Promise<WebhookHandler>): Promise<WebhookHandler> {
    const running = await start;
    started.push(running);
    return running;
  }

  async function inspector(): Promise<Inspector> {
    const running = await startInspector();
    inspectors.push(running);
    return running.inspector;
  }

  return { handler, inspector, cleanups };
}

/** Each request the handler got carried the same event, genuinely signed over its raw bytes. */
export function expectSameSignedEvent(app: WebhookHandler, secret: string): void {
  const first = app.requests[0];
  expect(first).toBeDefined();
  for (const request of app.requests) {
    expect(request.method).toBe('POST');
    expect(request.body.equals(first?.body as Buffer)).toBe(true);
    expect(request.eventId).toBe(first?.eventId);
    expect(verifiesRaw(request.body, request.signature, secret)).toBe(true);
  }
}
