import { test as base, expect } from '@playwright/test';
import { sampleEvent } from '../../src/main/profile/samples';
import { sign } from '../../src/main/profile/signature';
import type { EventType } from '../../src/shared/reviewsense/catalogue';
import { runCli, type ServeProcess } from '../helpers/cli';
import { post } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';

export const SECRET = 'whsec_e2e_current';

export interface Hooklens {
  receiverUrl: string;
  uiUrl: string;
  run: ServeProcess;
  /** Sends a ReviewSense event the way ReviewSense does (or deliberately broken). */
  deliver: (
    type: EventType,
    options?: { id?: string; secret?: string; signature?: string | null; data?: Record<string, unknown>; body?: string | Buffer; headers?: Record<string, string> },
  ) => Promise<{ id: string; status: number; body: string }>;
}

export const test = base.extend<{ hooklens: Hooklens; serveArgs: string[] }>({
  serveArgs: [[], { option: true }],
  hooklens: async ({ serveArgs }, use) => {
    const dir = tempDir('hooklens-e2e-');
    const run = runCli(['serve', '--json', '--port', '0', '--ui', '--ui-port', '0', '--data-dir', dir.path, ...serveArgs]);
    const ready = await run.waitFor((line) => line.event === 'ready');
    const receiverUrl = ready.receiverUrl as string;
    await use({
      receiverUrl,
      uiUrl: ready.uiUrl as string,
      run,
      async deliver(type, options = {}) {
        const event = sampleEvent(type, { ...(options.id ? { id: options.id } : {}), data: options.data as never });
        const body = options.body ?? JSON.stringify(event);
        const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
        const signature = options.signature === undefined ? sign(options.secret ?? SECRET, body) : options.signature;
        if (signature !== null) headers['x-reviewsense-signature'] = signature;
        const response = await post(receiverUrl, body, headers);
        return { id: event.id, status: response.status, body: typeof body === 'string' ? body : body.toString('latin1') };
      },
    });
    run.proc.kill('SIGTERM');
    await run.exited;
    dir.cleanup();
  },
});

export { expect };

/** The feed row of an event id. */
export function row(page: import('@playwright/test').Page, eventId: string) {
  return page.locator('.feed-row', { hasText: eventId });
}
