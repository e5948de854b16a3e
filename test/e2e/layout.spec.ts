import type { Page } from '@playwright/test';
import { expect, row, SECRET, test, type Hooklens } from './fixtures';
import { CLEAN_DIGEST_LINES, childLines, clipped, cutPlaceholders, cutSelects, inside, lineLengths, overflowsSideways, overlap, overlappingChildren } from './layout-facts';
import { answeringBy, startApp } from '../helpers/app-server';

/** The sizes people use: a small laptop window, a common desktop window, a full HD screen. */
const SIZES = [
  { width: 1024, height: 700 },
  { width: 1400, height: 900 },
  { width: 1920, height: 1080 },
];

test.use({ serveArgs: ['--secret', SECRET] });

/** A feed like a working session's: every type, a retry, a forgery. Returns the retried event's id. */
async function session(hooklens: Hooklens): Promise<string> {
  const first = await hooklens.deliver('review.response_ready');
  for (const type of ['webhook.test', 'review.analysed', 'review.flagged', 'review.responded', 'quota.warning', 'quota.exceeded'] as const) await hooklens.deliver(type);
  await hooklens.deliver('review.flagged', { secret: 'whsec_someone_else' });
  await hooklens.deliver('review.response_ready', { id: first.id });
  return first.id;
}

async function openDrawer(page: Page, button: string, name: string) {
  await page.getByRole('button', { name: button, exact: true }).click();
  const drawer = page.getByRole('dialog', { name });
  await expect(drawer).toBeVisible();
  return drawer;
}

/** What every drawer owes at every size: nothing wider than it, no placeholder or option cut off. */
async function expectWhole(drawer: ReturnType<Page['getByRole']>) {
  expect(await overflowsSideways(drawer)).toBe(false);
  expect(await cutPlaceholders(drawer)).toEqual([]);
  expect(await cutSelects(drawer)).toEqual([]);
}

for (const size of SIZES) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: size });

    test('feed and detail: every tab in reach, event ids whole where there is room, the status bar one line', async ({ page, hooklens }) => {
      const retried = await session(hooklens);
      await page.goto(hooklens.uiUrl);
      // Forwarding on: the status bar carries its longest item.
      await page.getByRole('button', { name: 'Settings' }).click();
      const settings = page.getByRole('dialog', { name: 'Settings' });
      await settings.locator('#settings-forwarding').getByLabel('Target').fill('http://localhost:3000/webhooks/reviewsense');
      await settings.getByRole('button', { name: 'Save target' }).click();
      await settings.getByLabel('Forwarding on').check();
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('forwarding-status')).toContainText('forwarding →');

      const bar = page.getByRole('contentinfo', { name: 'Status' });
      expect(await childLines(bar)).toBe(1);
      expect(await overflowsSideways(bar)).toBe(false);
      expect(await overlappingChildren(bar)).toEqual([]);
      // Only texts give way: no button or dot is cut.
      expect(await clipped(bar, 'button:not(.status-link), .dot')).toEqual([]);
      await expect(bar.getByTestId('counts')).toBeInViewport({ ratio: 1 });

      // The Event id column is there at every size; where there is room, ids are not cut.
      const ids = page.locator('.feed-row .cell-id');
      await expect(ids.first()).toBeVisible();
      for (const id of await ids.all()) {
        const [scroll, client] = await id.evaluate((cell) => [cell.scrollWidth, cell.clientWidth]);
        expect(client).toBeGreaterThanOrEqual(80);
        if (size.width >= 1400) expect(scroll, `${await id.textContent()}`).toBeLessThanOrEqual(client);
      }
      await expect(page.locator('.feed-header .cell-id')).toBeVisible();

      await row(page, retried).last().click();
      const detail = page.getByRole('region', { name: 'Delivery detail' });
      const tabs = detail.getByRole('tablist');
      expect(await overflowsSideways(tabs)).toBe(false);
      for (const tab of await tabs.getByRole('tab').all()) {
        expect(await inside(tab, tabs), `${await tab.textContent()} inside the tab bar`).toBe(true);
        await expect(tab).toBeInViewport({ ratio: 1 });
        await tab.click();
        expect(await overflowsSideways(detail), `${await tab.textContent()}: nothing wider than the pane`).toBe(false);
      }
      await detail.getByRole('tab', { name: /Signature/ }).click();
      for (const digest of await detail.locator('.signature-digests td').all()) expect(CLEAN_DIGEST_LINES).toContainEqual(await lineLengths(digest));
      await detail.getByRole('tab', { name: /Headers/ }).click();
      expect(CLEAN_DIGEST_LINES).toContainEqual(await lineLengths(detail.locator('tr', { hasText: 'x-reviewsense-signature' }).locator('td')));
      expect(await cutSelects(page.locator('.toolbar'))).toEqual([]);
      expect(await cutPlaceholders(page.locator('.toolbar'))).toEqual([]);
    });

    test('menus: one open at a time, closed by a click elsewhere or Esc', async ({ page, hooklens }) => {
      await session(hooklens);
      await page.goto(hooklens.uiUrl);
      const typeMenu = page.locator('details.filter-menu', { hasText: 'Type' });
      const signatureMenu = page.locator('details.filter-menu', { hasText: 'Signature' });
      const types = page.getByRole('group', { name: 'Event types' });
      const statuses = page.getByRole('group', { name: 'Signature statuses' });

      await typeMenu.locator('summary').click();
      await expect(types).toBeVisible();
      await signatureMenu.locator('summary').click();
      await expect(statuses).toBeVisible();
      await expect(types).toBeHidden();

      // A click elsewhere closes it; the click still does its own work (here: selects the row).
      await page.locator('.feed-row').first().click();
      await expect(statuses).toBeHidden();
      await expect(page.locator('.feed-row').first()).toHaveAttribute('aria-selected', 'true');

      // Esc closes the menu, and only the menu: the filter chosen in it stays.
      await typeMenu.locator('summary').click();
      await types.getByLabel('quota.warning').check();
      await page.keyboard.press('Escape');
      await expect(types).toBeHidden();
      await expect(typeMenu.locator('summary')).toHaveText('Type (1)');

      // Opening the ⋯ menu closes a filter menu, and the other way round.
      await typeMenu.locator('summary').click();
      const detail = page.getByRole('region', { name: 'Delivery detail' });
      await detail.getByRole('button', { name: 'More actions' }).click();
      await expect(types).toBeHidden();
      await expect(detail.getByRole('menu', { name: 'More actions' })).toBeVisible();
      await signatureMenu.locator('summary').click();
      await expect(detail.getByRole('menu', { name: 'More actions' })).toBeHidden();
      await expect(statuses).toBeVisible();
      await page.keyboard.press('Escape');
      await expect(statuses).toBeHidden();

      // Replay ▾: its Target's hint and the secrets to re-sign with are whole, inside the pane.
      await detail.getByRole('button', { name: 'Replay ▾', exact: true }).click();
      const replay = detail.getByRole('group', { name: 'Replay' });
      await replay.getByRole('button', { name: 'Replay re-signed…' }).click();
      expect(await cutPlaceholders(replay)).toEqual([]);
      expect(await cutSelects(replay)).toEqual([]);
      expect(await inside(replay, detail)).toBe(true);
      expect(await overflowsSideways(detail)).toBe(false);
    });
    test("composer: the toast never covers the answer; options, placeholders and the digest whole", async ({ page, hooklens }) => {
      const app = await startApp(answeringBy(() => 202));
      try {
        await session(hooklens);
        await page.goto(hooklens.uiUrl);
        const composer = await openDrawer(page, 'Send test event', 'Send test event');
        await expect(composer.locator('.cm-content')).toBeVisible();
        await expectWhole(composer);
        await expect(composer.getByTestId('signature-preview')).toContainText('HMAC-SHA256');
        expect(CLEAN_DIGEST_LINES).toContainEqual(await lineLengths(composer.getByTestId('signature-preview').locator('strong')));
        await page.keyboard.press('Escape');

        // Edit and replay the selected delivery: its answer shows in the composer and in a toast.
        await page.locator('.feed-row').first().click();
        await expect(page.getByRole('region', { name: 'Delivery detail' }).getByRole('tablist')).toBeVisible();
        await page.keyboard.press('e');
        await expect(composer.locator('.cm-content')).toBeVisible();
        await composer.getByLabel('Target').fill(app.url());
        await composer.getByRole('button', { name: 'Send replay' }).click();
        const answer = composer.getByTestId('composer-answer');
        await expect(answer.getByTestId('verdict')).toHaveText('✓ would count as delivered');
        const toast = page.getByTestId('toast');
        await expect(toast).toBeVisible();
        await answer.scrollIntoViewIfNeeded();
        expect(await overlap(toast, composer)).toBe(false);
        await expect(toast).toBeInViewport({ ratio: 1 });
      } finally {
        await app.close();
      }
    });

    test('drawers: Check endpoint, Settings (every section), Simulate retries, Export: nothing cut or wider than the drawer', async ({ page, hooklens }) => {
      const app = await startApp(answeringBy(() => 500));
      try {
        await session(hooklens);
        await page.goto(hooklens.uiUrl);

        const check = await openDrawer(page, 'Check endpoint', 'Check endpoint');
        await expectWhole(check);
        await check.getByLabel('Target').fill(app.url());
        await check.getByRole('button', { name: 'Run' }).click();
        await expect(check.getByTestId('check-progress')).toHaveText('17 of 17');
        await expectWhole(check);
        for (const digest of await check.locator('.probe[open]').first().locator('tr', { hasText: 'X-ReviewSense-Signature' }).locator('td').all()) {
          expect(CLEAN_DIGEST_LINES).toContainEqual(await lineLengths(digest));
        }
        await page.keyboard.press('Escape');

        const settings = await openDrawer(page, 'Settings', 'Settings');
        await expectWhole(settings);
        await page.keyboard.press('Escape');

        await page.locator('.feed-row').first().click();
        const detail = page.getByRole('region', { name: 'Delivery detail' });
        await detail.getByRole('button', { name: 'More actions' }).click();
        await detail.getByRole('menuitem', { name: 'Simulate retries…' }).click();
        const simulate = page.getByRole('dialog', { name: 'Simulate retries' });
        await simulate.getByLabel('Fault injection').selectOption('slow');
        await expectWhole(simulate);
        await simulate.getByLabel('Fault injection').selectOption('none');
        await simulate.getByLabel('Target').fill(app.url());
        await simulate.getByLabel('Speed').selectOption({ label: 'instant (no waiting)' });
        await simulate.getByRole('button', { name: 'Start' }).click();
        await expect(simulate.getByTestId('sim-outcome')).toContainText('Endpoint inactive');
        await expectWhole(simulate);
        await page.keyboard.press('Escape');

        await detail.getByRole('button', { name: 'More actions' }).click();
        await detail.getByRole('menuitem', { name: 'Export this delivery…' }).click();
        const exporter = page.getByRole('dialog', { name: 'Export' });
        await expectWhole(exporter);
      } finally {
        await app.close();
      }
    });

    test('diff view: a retry beside its original, nothing wider than the pane', async ({ page, hooklens }) => {
      const retried = await session(hooklens);
      await page.goto(hooklens.uiUrl);
      await row(page, retried).first().click();
      await page.keyboard.press('c');
      const detail = page.getByRole('region', { name: 'Delivery detail' });
      const headers = detail.getByTestId('header-diff');
      await expect(headers).toBeVisible();
      expect(await overflowsSideways(detail)).toBe(false);
      for (const digest of await headers.locator('tr', { hasText: 'x-reviewsense-signature' }).locator('td').all()) {
        expect(CLEAN_DIGEST_LINES).toContainEqual(await lineLengths(digest));
      }
    });
  });
}
