import { expect, SECRET, test, type Hooklens } from './fixtures';

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

for (const size of SIZES) {
  test.describe(`at ${size.width}×${size.height}`, () => {
    test.use({ viewport: size });

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
    });
  });
}
