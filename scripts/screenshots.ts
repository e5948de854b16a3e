/**
 * Takes the README's screenshots of the real UI: `hooklens serve --ui` with real signed
 * deliveries, driven in Debian's Chromium by Playwright. Run with `npm run screenshots`.
 * The README's are at 1400×900; the screens whose layout changes with the window (the feed and
 * detail, the composer with a toast, a simulation, a comparison) are also taken at 1024×700 and
 * 1920×1080, into docs/screenshots/sizes/. The high-contrast pass (prefers-contrast: more, light
 * and dark, and Windows-style forced colours) goes into docs/screenshots/contrast/, with the
 * keyboard's focus ring showing.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../playwright.config';
import { sampleEvent } from '../src/main/profile/samples';
import { sign } from '../src/main/profile/signature';
import type { EventType } from '../src/shared/reviewsense/catalogue';
import { runCli } from '../test/helpers/cli';
import { post } from '../test/helpers/http';
import { tempDir } from '../test/helpers/temp-dir';
import { startApp, startLenientHandler, startRecoveringApp } from './screenshot-apps';
import { closeAll, showCheck, showComposerReplay, showDiff, showFeed, showSignature, showSimulation } from './screenshot-screens';

const SECRET = 'whsec_screenshots';
const OUT = join(__dirname, '..', 'docs', 'screenshots');
const MAIN = { width: 1400, height: 900 };
const OTHER_SIZES = [
  { width: 1024, height: 700 },
  { width: 1920, height: 1080 },
];

async function main(): Promise<void> {
  mkdirSync(join(OUT, 'sizes'), { recursive: true });
  mkdirSync(join(OUT, 'contrast'), { recursive: true });
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

    const page = await browser.newPage({ viewport: MAIN, colorScheme: 'light' });
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
    await showFeed(page);
    await shot(page, 'feed.png');

    // A second active secret (mid-rotation): the Signature tab gives the digest of each.
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await settings.getByLabel('New secret value').fill('whsec_screenshots_next');
    await settings.getByRole('button', { name: 'Add secret' }).click();
    await settings.locator('tbody tr').nth(1).waitFor();
    await page.mouse.move(0, 0);
    await shot(page, 'settings.png');
    await page.keyboard.press('Escape');

    await showSignature(page);
    await shot(page, 'signature.png');

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

    // A replay to "your app" (a tiny server here), as captured: the Attempts tab.
    const app = await startApp();
    const recovering = await startRecoveringApp();
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

      await showSimulation(page, recovering.url);
      await shot(page, 'simulate.png');
      await closeAll(page);
      await showDiff(page);
      await shot(page, 'diff.png');
      await closeAll(page);

      for (const size of OTHER_SIZES) await shootSizes(browser, ready.uiUrl as string, size, { app: app.url, recovering: recovering.url });
    } finally {
      app.close();
      recovering.close();
    }

    // Check endpoint against a handler with one classic mistake: it compares the digest
    // case-insensitively, so the upper-case forgery gets in; that probe is first and open.
    const handler = await startLenientHandler(SECRET);
    try {
      await showCheck(page, handler.url);
      await shot(page, 'check-report.png');
      await page.keyboard.press('Escape');
      await shootContrast(browser, ready.uiUrl as string, handler.url);
    } finally {
      handler.close();
    }

    const dark = await browser.newPage({ viewport: MAIN, colorScheme: 'dark' });
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

/** The screens whose layout depends on the window, at one more size. */
async function shootSizes(browser: Browser, uiUrl: string, size: { width: number; height: number }, apps: { app: string; recovering: string }): Promise<void> {
  const page = await browser.newPage({ viewport: size, colorScheme: 'light' });
  const name = (screen: string) => join('sizes', `${size.width}x${size.height}-${screen}.png`);
  try {
    await page.goto(uiUrl);
    await page.locator('.feed-row').nth(0).waitFor();
    await showFeed(page);
    await shot(page, name('feed'));
    await showComposerReplay(page, apps.app);
    await shot(page, name('composer'));
    await closeAll(page);
    await showSimulation(page, apps.recovering);
    await shot(page, name('simulate'));
    await closeAll(page);
    await showDiff(page);
    await shot(page, name('diff'));
  } finally {
    await page.close();
  }
}

/**
 * The high-contrast pass: more contrast asked for, light and dark (text at 7:1 or more, borders
 * that show, a bar on the open row), and forced colours; each with the keyboard's focus ring.
 */
async function shootContrast(browser: Browser, uiUrl: string, lenientUrl: string): Promise<void> {
  const modes = [
    { name: 'more-light', options: { colorScheme: 'light', contrast: 'more' } },
    { name: 'more-dark', options: { colorScheme: 'dark', contrast: 'more' } },
    { name: 'forced-colors', options: { colorScheme: 'dark', forcedColors: 'active' } },
  ] as const;
  for (const mode of modes) {
    const page = await browser.newPage({ viewport: MAIN, ...mode.options });
    try {
      await page.goto(uiUrl);
      await page.locator('.feed-row').nth(0).waitFor();
      await showFeed(page);
      // From the keyboard: the grid, its active row ringed.
      await page.getByRole('grid', { name: 'Deliveries' }).focus();
      await page.keyboard.press('ArrowUp');
      await page.keyboard.press('ArrowDown');
      await shot(page, join('contrast', `feed-${mode.name}.png`));
      if (mode.name === 'more-dark') {
        await showCheck(page, lenientUrl);
        await shot(page, join('contrast', `check-${mode.name}.png`));
      }
    } finally {
      await page.close();
    }
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
