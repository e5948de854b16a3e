import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, row, SECRET, test } from './fixtures';
import { answeringBy, startApp, verifyingWith } from '../helpers/app-server';

/**
 * Deque's axe-core, the engine browsers' audits use, on every screen, menu and drawer of the
 * real UI, in the light and the dark theme, each also with `prefers-contrast: more`. Any
 * violation of a WCAG 2.0/2.1/2.2 A or AA rule, or of axe's best practices, fails the test; with
 * more contrast asked for, text must also meet AAA's 7:1 (color-contrast-enhanced). No rule is
 * turned off.
 */
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

test.use({ serveArgs: ['--secret', SECRET], viewport: { width: 1400, height: 900 } });


/**
 * The violations on the page as it is now, one line per rule and element, so a failure says what
 * to fix. A state that changes one part of a screen already audited whole (a tab, a menu, a toast)
 * is audited in that part (`scope`): the same rules, on fewer elements, in a fraction of the time.
 */
async function violations(page: Page, moreContrast: boolean, scope: string[]): Promise<string[]> {
  const builder = new AxeBuilder({ page }).withTags(TAGS);
  for (const selector of scope) builder.include(selector);
  if (moreContrast) builder.options({ rules: { 'color-contrast-enhanced': { enabled: true } } });
  const { violations: found } = await builder.analyze();
  return found.flatMap((violation) =>
    violation.nodes.map((node) => `${violation.impact} ${violation.id}: ${node.target.join(' ')} — ${node.failureSummary?.split('\n').slice(1).join(' ').trim()}`),
  );
}

for (const colorScheme of ['light', 'dark'] as const) {
  for (const contrast of ['no-preference', 'more'] as const) {
    test(`no axe-core violation on any screen, menu or drawer: ${colorScheme} theme, contrast ${contrast}`, async ({ page, hooklens }) => {
      // Some 30 audits: a minute on an idle machine, several on a busy one.
      test.setTimeout(360_000);
      await page.emulateMedia({ colorScheme, contrast });
      const audit = async (screen: string, ...scope: string[]) => expect.soft(await violations(page, contrast === 'more', scope), screen).toEqual([]);
      const detail = page.getByRole('region', { name: 'Delivery detail' });
      const app = await startApp(verifyingWith(SECRET));
      const down = await startApp(answeringBy(() => 500));
      try {
        await page.goto(hooklens.uiUrl);
        await expect(page.getByText('Receive your first ReviewSense webhook')).toBeVisible();
        await audit('first run');

        // Every event type, a retry, a forgery, an unsigned request, a malformed header, a non-JSON body.
        const analysed = await hooklens.deliver('review.analysed');
        for (const type of ['webhook.test', 'review.response_ready', 'review.flagged', 'review.responded', 'quota.warning', 'quota.exceeded'] as const) await hooklens.deliver(type);
        await hooklens.deliver('review.analysed', { id: analysed.id });
        const forged = await hooklens.deliver('review.flagged', { secret: 'whsec_someone_else' });
        await hooklens.deliver('quota.warning', { signature: null });
        await hooklens.deliver('quota.exceeded', { signature: 'NOT-HEX' });
        await hooklens.deliver('webhook.test', { body: 'not json', signature: null, headers: { 'content-type': 'text/plain' } });
        await expect(page.locator('.feed-row')).toHaveCount(12);
        await audit('feed, nothing open');

        await page.locator('summary', { hasText: 'Type' }).click();
        await page.getByRole('group', { name: 'Event types' }).getByLabel('review.flagged').check();
        await expect(page.locator('.feed-row')).toHaveCount(2);
        await audit('Type filter open, the feed filtered', '.filter-bar', '.feed');
        await page.keyboard.press('Escape');
        await page.locator('summary', { hasText: 'Signature' }).click();
        await audit('Signature filter open', '.filter-bar');
        await page.keyboard.press('Escape');
        await page.keyboard.press('Escape');
        await page.getByLabel('Search payloads').fill('no such words anywhere');
        await expect(page.getByText('No delivery matches these filters.')).toBeVisible();
        await audit('no delivery matches', '.feed-pane');
        await page.keyboard.press('Escape');
        await expect(page.locator('.feed-row')).toHaveCount(12);

        // A replay to an app that fails: the Out column, the toast, an attempt to open.
        await row(page, analysed.id).last().click();
        await detail.getByRole('button', { name: 'Replay ▾', exact: true }).click();
        await detail.getByRole('button', { name: 'Replay re-signed…' }).click();
        await audit('Replay menu open, re-sign choices shown', '.detail-header');
        await detail.getByLabel('Target').fill(down.url());
        await detail.getByRole('button', { name: 'Replay as captured' }).click();
        await expect(page.getByTestId('toast')).toBeVisible();
        await audit('a toast', '.toast-region', '.feed');
        await detail.getByRole('tab', { name: /Attempts/ }).click();
        await detail.locator('details.attempt summary').first().click();
        await expect(detail.locator('details.attempt[open]')).toContainText('Response');
        await audit('detail: Attempts, one open', '.detail');
        for (const tab of ['Payload', 'Headers', 'Signature', 'Deliveries', 'Verify']) {
          await detail.getByRole('tab', { name: new RegExp(tab) }).click();
          await expect(detail.getByRole('tabpanel', { name: new RegExp(tab) })).toBeVisible();
          await audit(`detail: ${tab}`, '.detail');
        }
        await row(page, forged.id).click();
        await detail.getByRole('tab', { name: /Signature/ }).click();
        await expect(detail.locator('.diagnosis')).toBeVisible();
        await audit('detail: Signature of a forgery, its diagnosis', '.detail');
        // Not an event: the row names it by method and path.
        await page.locator('.feed-row', { has: page.locator('.event-type[data-known="false"]') }).click();
        await detail.getByRole('tab', { name: /Payload/ }).click();
        await expect(detail.getByTestId('raw-body')).toBeVisible();
        await audit('detail: Payload, not JSON', '.detail');

        await row(page, analysed.id).first().click();
        await detail.getByRole('button', { name: 'More actions' }).click();
        await audit('⋯ menu open', '.detail-header');
        await page.keyboard.press('Escape');
        await page.keyboard.press('c');
        await expect(detail.getByTestId('header-diff')).toBeVisible();
        await audit('compare with original');
        await page.keyboard.press('Escape');
        await page.locator('.feed-row').nth(1).click({ modifiers: ['Shift'] });
        await expect(detail.getByRole('heading', { name: /deliveries selected/ })).toBeVisible();
        await audit('several selected', '.detail', '.feed');
        await page.keyboard.press('Escape');

        await page.getByRole('button', { name: 'Send test event' }).click();
        const composer = page.getByRole('dialog', { name: 'Send test event' });
        await expect(composer.locator('.cm-content')).toBeVisible();
        await audit('composer', '[role="dialog"]');
        await composer.getByLabel('Target').fill(app.url());
        await composer.getByLabel('Signature').selectOption('invalid');
        await composer.getByRole('button', { name: 'Send', exact: true }).click();
        await expect(composer.getByTestId('verdict')).toContainText('rightly refused');
        await audit('composer, answered');
        await page.keyboard.press('Escape');
        await row(page, analysed.id).first().click();
        await page.keyboard.press('e');
        await expect(composer.getByRole('button', { name: 'Send replay' })).toBeVisible();
        await audit('composer, edit and replay', '[role="dialog"]');
        await page.keyboard.press('Escape');

        await page.getByRole('button', { name: 'Check endpoint' }).click();
        const check = page.getByRole('dialog', { name: 'Check endpoint' });
        // A drawer's code loads when it is first opened: audit it once it is there.
        await expect(check).toBeVisible();
        await audit('Check endpoint', '[role="dialog"]');
        await check.getByLabel('Target').fill(down.url());
        await check.getByRole('button', { name: 'Run' }).click();
        await expect(check.getByTestId('check-verdict')).toContainText('probes failed');
        await audit('Check endpoint, a failing report');
        await page.keyboard.press('Escape');

        await detail.getByRole('button', { name: 'More actions' }).click();
        await detail.getByRole('menuitem', { name: 'Simulate retries…' }).click();
        const simulate = page.getByRole('dialog', { name: 'Simulate retries' });
        // A drawer's code loads when it is first opened: audit it once it is there.
        await expect(simulate).toBeVisible();
        await audit('Simulate retries', '[role="dialog"]');
        await simulate.getByLabel('Target').fill(app.url());
        await simulate.getByLabel('Speed').selectOption({ label: 'instant (no waiting)' });
        await simulate.getByLabel('Fault injection').selectOption('error');
        await simulate.getByRole('button', { name: 'Start' }).click();
        await expect(simulate.getByTestId('sim-outcome')).toContainText('Delivered on');
        await simulate.getByRole('button', { name: 'Start' }).click();
        await expect(simulate.getByRole('region', { name: 'Recent simulations' })).toBeVisible();
        await expect(simulate.getByTestId('sim-outcome')).toContainText('Delivered on');
        await audit('Simulate retries, a timeline and the recent ones');
        await page.keyboard.press('Escape');

        await detail.getByRole('button', { name: 'More actions' }).click();
        await detail.getByRole('menuitem', { name: 'Export this delivery…' }).click();
        const exporting = page.getByRole('dialog', { name: 'Export' });
        // A drawer's code loads when it is first opened: audit it once it is there.
        await expect(exporting).toBeVisible();
        await audit('Export', '[role="dialog"]');
        await exporting.getByRole('button', { name: 'Export', exact: true }).click();
        await expect(exporting.getByTestId('export-progress')).toContainText('finished');
        await audit('Export, finished');
        await page.keyboard.press('Escape');

        // Settings with a second secret, retired, and forwarding to an app that is down: the queue listed.
        await page.getByRole('button', { name: 'Settings' }).click();
        const settings = page.getByRole('dialog', { name: 'Settings' });
        await settings.getByLabel('New secret value').fill('whsec_next');
        await settings.getByRole('button', { name: 'Add secret' }).click();
        await settings.getByRole('button', { name: 'Retire' }).click();
        await expect(settings.getByText('retired (diagnosis only)')).toBeVisible();
        await settings.locator('#settings-forwarding').getByLabel('Target').fill('http://127.0.0.1:1/webhooks');
        await settings.getByRole('button', { name: 'Save target' }).click();
        await settings.getByLabel('Forwarding on').check();
        await hooklens.deliver('webhook.test');
        await expect(settings.getByTestId('forward-queue')).toContainText('waiting');
        await audit('Settings');
        await page.keyboard.press('Escape');
        await expect(page.getByTestId('forwarding-status')).toContainText('forwarding →');
        await audit('feed, forwarding on, a queued row', '.feed', '.status-bar');

        hooklens.run.proc.kill('SIGTERM');
        await expect(page.getByTestId('disconnected')).toBeVisible();
        await audit('connection lost', '.status-bar');
      } finally {
        await app.close();
        await down.close();
      }
    });
  }
}

test.describe('without a secret', () => {
  test.use({ serveArgs: [] });

  for (const colorScheme of ['light', 'dark'] as const) {
    for (const contrast of ['no-preference', 'more'] as const) {
      test(`no axe-core violation in the first-run guide and on an unchecked delivery: ${colorScheme} theme, contrast ${contrast}`, async ({ page, hooklens }) => {
        await page.emulateMedia({ colorScheme, contrast });
        await page.goto(hooklens.uiUrl);
        await expect(page.getByLabel('Signing secret')).toBeVisible();
        expect.soft(await violations(page, contrast === 'more', []), 'first run, no secret').toEqual([]);
        await hooklens.deliver('review.analysed');
        await page.locator('.feed-row').first().click();
        const detail = page.getByRole('region', { name: 'Delivery detail' });
        await detail.getByRole('tab', { name: /Signature/ }).click();
        await expect(detail.getByRole('button', { name: 'Add your signing secret' })).toBeVisible();
        await page.keyboard.press('n');
        await expect(page.getByRole('dialog', { name: 'Send test event' }).getByText('No signing secret yet')).toBeVisible();
        expect(await violations(page, contrast === 'more', []), 'an unchecked delivery, the composer without a secret').toEqual([]);
      });
    }
  }
});

test('less motion asked for: nothing animates, the editor caret included; more contrast: the open row is marked by more than its colour', async ({ page, hooklens }) => {
  await hooklens.deliver('review.analysed');
  await page.goto(hooklens.uiUrl);
  await expect(page.locator('.feed-row')).toHaveCount(1);
  const composer = page.getByRole('dialog', { name: 'Send test event' });
  // What runs in the page and in the editor's shadow root.
  const animations = () =>
    page.evaluate(() =>
      [document, ...Array.from(document.querySelectorAll('*'), (element) => element.shadowRoot).filter((root) => root !== null)]
        .flatMap((root) => root.getAnimations())
        .map((animation) => (animation as CSSAnimation).animationName ?? animation.id),
    );

  // By default the focused editor's caret blinks (a CSS animation in its shadow root).
  await page.keyboard.press('n');
  await composer.getByRole('textbox', { name: 'Event JSON' }).focus();
  await expect.poll(animations).toContain('cm-blink');
  await page.keyboard.press('Escape');

  await page.emulateMedia({ reducedMotion: 'reduce' });
  await page.keyboard.press('n');
  await composer.getByRole('textbox', { name: 'Event JSON' }).focus();
  await page.keyboard.type(' ');
  await expect(composer.locator('.cm-content')).toBeFocused();
  expect(await animations()).toEqual([]);
  await page.keyboard.press('Escape');

  const open = page.locator('.feed-row').first();
  await open.click();
  expect(await open.evaluate((element) => getComputedStyle(element).boxShadow)).toBe('none');
  await page.emulateMedia({ contrast: 'more' });
  expect(await open.evaluate((element) => getComputedStyle(element).boxShadow)).toMatch(/ 4px 0px 0px 0px inset$/);
});
