/**
 * Takes the README's screenshots of the real UI: `hooklens serve --ui` with real signed
 * deliveries, driven in Debian's Chromium by Playwright. Run with `npm run screenshots`.
 */
import { createHmac } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { sampleEvent } from '../src/main/profile/samples';
import { sign } from '../src/main/profile/signature';
import type { EventType } from '../src/shared/reviewsense/catalogue';
import { runCli } from '../test/helpers/cli';
import { post } from '../test/helpers/http';
import { tempDir } from '../test/helpers/temp-dir';

const SECRET = 'whsec_screenshots';
const OUT = join(__dirname, '..', 'docs', 'screenshots');

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const dir = tempDir('hooklens-shots-');
  const run = runCli(['serve', '--json', '--port', '0', '--ui', '--ui-port', '0', '--secret', SECRET, '--data-dir', dir.path]);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const ready = await run.waitFor((line) => line.event === 'ready');
    const deliver = async (type: EventType, options: { id?: string; secret?: string; appendNewline?: boolean } = {}) => {
      const event = sampleEvent(type, options.id ? { id: options.id } : {});
      const signed = JSON.stringify(event);
      // A proxy that appends a newline after signing: the diagnosis names it.
      const body = options.appendNewline ? `${signed}\n` : signed;
      await post(ready.receiverUrl as string, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(options.secret ?? SECRET, signed) });
      return event.id;
    };

    const page = await browser.newPage({ viewport: { width: 1440, height: 860 }, colorScheme: 'light' });
    await page.goto(ready.uiUrl as string);
    await page.getByText('Receive your first ReviewSense webhook').waitFor();
    await shot(page, 'first-run.png');

    const types: EventType[] = ['webhook.test', 'review.analysed', 'review.response_ready', 'review.flagged', 'review.responded', 'quota.warning'];
    const ids: string[] = [];
    for (const type of types) ids.push(await deliver(type));
    await deliver('review.analysed', { id: ids[1] });
    await deliver('review.flagged', { appendNewline: true });
    await deliver('quota.exceeded');
    const analysed = await deliver('review.analysed');
    await deliver('review.analysed', { id: analysed });
    await page.locator('.feed-row').nth(0).waitFor();
    await page.keyboard.press('j');
    await page.getByRole('region', { name: 'Delivery detail' }).locator('.json-tree').waitFor();
    await shot(page, 'feed.png');

    await page.locator('.feed-row', { hasText: 'review.flagged' }).first().click();
    await page.getByRole('tab', { name: /Signature/ }).click();
    await page.locator('.diagnosis').waitFor();
    await shot(page, 'signature.png');

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('dialog', { name: 'Settings' }).waitFor();
    await shot(page, 'settings.png');
    await page.keyboard.press('Escape');

    // The composer: a valid review.analysed event sent to Hooklens' own receiver, and its answer.
    await page.getByRole('button', { name: 'Send test event' }).click();
    const composer = page.getByRole('dialog', { name: 'Send test event' });
    await composer.getByLabel('Event type').selectOption('review.analysed');
    await composer.locator('.cm-content', { hasText: '"type": "review.analysed"' }).waitFor();
    await composer.getByText('Looks like a review.analysed event').waitFor();
    await composer.getByRole('button', { name: 'Send', exact: true }).click();
    await composer.getByTestId('composer-answer').getByText('would count as delivered').waitFor();
    await composer.getByTestId('signature-preview').getByText('HMAC-SHA256').waitFor();
    await page.mouse.move(0, 0);
    await shot(page, 'composer.png');
    await page.keyboard.press('Escape');

    // A replay to "your app" (a tiny server here), as captured and then edited: the Attempts tab.
    const app = await startApp();
    try {
      await page.locator('.feed-row', { hasText: 'review.analysed' }).nth(1).click();
      const detail = page.getByRole('region', { name: 'Delivery detail' });
      await detail.getByRole('button', { name: /^Replay/ }).click();
      await detail.getByLabel('Target').fill(app.url);
      await detail.getByRole('button', { name: 'Replay as captured' }).click();
      await page.getByTestId('toast').waitFor();
      await detail.getByRole('tab', { name: /Attempts/ }).click();
      await detail.locator('details.attempt').first().waitFor();
      await detail.locator('details.attempt summary').first().click();
      await page.getByTestId('toast').getByText('would count as delivered').waitFor();
      // The toast said it; out of the way so the response shows.
      await page.getByTestId('toast').getByRole('button', { name: 'Dismiss' }).click();
      await page.mouse.move(0, 0);
      await shot(page, 'attempt.png');
    } finally {
      app.close();
    }

    // Check endpoint against a handler with one classic mistake: it compares the digest
    // case-insensitively, so the upper-case forgery gets in; that probe is first and open.
    const handler = await startLenientHandler();
    try {
      await page.getByRole('button', { name: 'Check endpoint' }).click();
      const panel = page.getByRole('dialog', { name: 'Check endpoint' });
      await panel.getByLabel('Target').fill(handler.url);
      await panel.getByRole('button', { name: 'Run' }).click();
      await panel.getByTestId('check-verdict').waitFor();
      await panel.locator('details.probe[open] .advice').first().waitFor();
      await page.mouse.move(0, 0);
      await shot(page, 'check-report.png');
      await page.keyboard.press('Escape');
    } finally {
      handler.close();
    }

    const dark = await browser.newPage({ viewport: { width: 1440, height: 860 }, colorScheme: 'dark' });
    await dark.goto(ready.uiUrl as string);
    await dark.locator('.feed-row').nth(3).click();
    await dark.getByRole('region', { name: 'Delivery detail' }).locator('.json-tree').waitFor();
    await shot(dark, 'feed-dark.png');
  } finally {
    await browser.close();
    run.proc.kill('SIGTERM');
    await run.exited;
    dir.cleanup();
  }
}

/** Stands in for the developer's app: answers 202 with a small JSON body. */
async function startApp(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(202, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: true, queued_for: 'review-sync' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/reviewsense`, close: () => server.close() };
}

/** A handler that verifies the HMAC of the raw body, but compares it ignoring case. */
async function startLenientHandler(): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const expected = createHmac('sha256', SECRET).update(Buffer.concat(chunks)).digest('hex');
      const header = req.headers['x-reviewsense-signature'];
      const ok = typeof header === 'string' && header.toLowerCase() === expected;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify(ok ? { received: true } : { error: 'invalid signature' }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/reviewsense`, close: () => server.close() };
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUT, name) });
  process.stdout.write(`docs/screenshots/${name}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
