/**
 * Takes the README's screenshots of the real UI: `hooklens serve --ui` with real signed
 * deliveries, driven in Debian's Chromium by Playwright. Run with `npm run screenshots`.
 */
import { mkdirSync } from 'node:fs';
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

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(OUT, name) });
  process.stdout.write(`docs/screenshots/${name}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  process.exitCode = 1;
});
