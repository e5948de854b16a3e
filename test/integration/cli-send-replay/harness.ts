// What `hooklens send` and `hooklens replay` tests share: the secret they sign with, the test apps
// a test starts (closed after it), and reading what an app received and what the CLI answered.
import { createHmac } from 'node:crypto';
import { afterEach, expect } from 'vitest';
import { startApp, valuesOf, type ReceivedRequest, type Responder, type TestApp } from '../../helpers/app-server';
import type { runCliToEnd } from '../../helpers/cli';

export const SECRET = 'whsec_cli_outgoing';

export const hmac = (secret: string, bytes: Buffer | string): string => createHmac('sha256', secret).update(bytes).digest('hex');

/** The test apps a test starts, closed after it. */
export function appScope() {
  const apps: TestApp[] = [];
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((started) => started.close()));
  });

  async function app(respond?: Responder): Promise<TestApp> {
    const started = await startApp(respond);
    apps.push(started);
    return started;
  }

  return { app, apps };
}

export function signatureOf(received: ReceivedRequest): string[] {
  return valuesOf(received.headers, 'x-reviewsense-signature');
}

/** The one-line bad-usage answer: exit 2, one line on stderr, nothing on stdout. */
export function expectUsage(result: Awaited<ReturnType<typeof runCliToEnd>>, line: string | RegExp): void {
  expect(result.code).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  if (typeof line === 'string') expect(lines[0]).toBe(`hooklens: ${line}`);
  else expect(lines[0]).toMatch(line);
  expect(result.lines).toEqual([]);
}
