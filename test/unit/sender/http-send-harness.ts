// What the sendRequest tests share: the loopback-only policy, the test apps a test starts (closed
// after it), a request to send and the one request an app received.
import { afterEach, expect } from 'vitest';
import type { OutgoingRequest } from '../../../src/main/sender/http-send';
import type { TargetPolicy } from '../../../src/main/sender/target-policy';
import { startApp, type ReceivedRequest, type Responder, type TestApp } from '../../helpers/app-server';

export const loopbackOnly: TargetPolicy = { allowHosts: () => [], refusedPorts: () => [] };

/** The test apps a test starts, closed after it. */
export function appScope() {
  const apps: TestApp[] = [];

  async function app(respond?: Responder): Promise<TestApp> {
    const started = await startApp(respond);
    apps.push(started);
    return started;
  }

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((started) => started.close()));
  });

  return { app };
}

export function post(target: string, body: Buffer, headers: [string, string][] = [['Content-Type', 'application/json']]): OutgoingRequest {
  return { target, method: 'POST', headers, body };
}

export function only(app: TestApp): ReceivedRequest {
  expect(app.received).toHaveLength(1);
  return app.received[0] as ReceivedRequest;
}
