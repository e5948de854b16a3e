import { expect, row, test } from './fixtures';

test('Settings → Data: the size in the status bar, keeping the newest N deliveries, a retry whose original was pruned, compacting', async ({ page, hooklens }) => {
  const original = await hooklens.deliver('review.analysed');
  await hooklens.deliver('quota.warning');
  await hooklens.deliver('webhook.test');
  await hooklens.deliver('review.analysed', { id: original.id });
  await page.goto(hooklens.uiUrl);
  await expect(page.locator('.feed-row')).toHaveCount(4);
  await expect(page.getByTestId('db-size')).toHaveText(/^\d+(\.\d)? (KiB|MiB)$/);

  // The size opens Settings at its Data section.
  await page.getByTestId('db-size').click();
  const data = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Data' });
  await expect(data.getByTestId('data-size')).toHaveText(/^\d+(\.\d)? (KiB|MiB)$/);
  await expect(data.getByRole('radio', { name: 'Everything' })).toBeChecked();
  await expect(data.getByTestId('last-prune')).toHaveText('Nothing is deleted: every delivery is kept.');

  await data.getByLabel('Deliveries to keep').fill('2');
  await expect(data.getByRole('radio', { name: /The newest .* deliveries/ })).toBeChecked();
  await data.getByRole('button', { name: 'Save retention' }).click();
  await expect(data.getByTestId('last-prune')).toContainText('to the newest 2 deliveries: deleted 2 older deliveries in');
  await expect(page.locator('.feed-row')).toHaveCount(2);
  await expect(page.getByTestId('counts')).toContainText('2 deliveries');

  // Its original (#1) is gone; the retry still says which delivery of the event it is, and that.
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).click();
  await row(page, original.id).click();
  await expect(page.locator('.detail-meta')).toContainText('#4');
  await expect(page.locator('.detail-meta')).toContainText('duplicate of #1 (original deleted)');
  await expect(row(page, original.id)).toContainText('2nd delivery');
  await page.getByRole('tab', { name: /Deliveries/ }).click();
  await expect(page.getByTestId('original-deleted')).toContainText('The original, #1, was deleted');

  // Compact gives the space back; what happens to deliveries meanwhile is said before it starts.
  await page.getByTestId('db-size').click();
  await expect(data).toContainText('Deliveries arriving during compaction are answered 503 and ReviewSense retries them.');
  await data.getByRole('button', { name: 'Compact' }).click();
  await expect(data.getByTestId('compaction-result')).toContainText(/Compacted at [\d:.]+: \d+(\.\d)? (KiB|MiB) → \d+(\.\d)? (KiB|MiB) in /);
  await expect(data.getByRole('button', { name: 'Compact' })).toBeEnabled();

  // Capture goes on after compaction.
  const after = await hooklens.deliver('webhook.test');
  expect(after.status).toBe(200);
  await expect(row(page, after.id)).toBeVisible();
});

test.describe('with --keep given for the run', () => {
  test.use({ serveArgs: ['--keep', '30d'] });

  test('Settings → Data says the run keeps the newest 30 days, and a saved choice replaces it', async ({ page, hooklens }) => {
    await hooklens.deliver('webhook.test');
    await page.goto(hooklens.uiUrl);
    await page.getByRole('button', { name: 'Settings' }).click();
    const data = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Data' });
    await expect(data.getByTestId('retention-run')).toHaveText(
      'This run keeps the newest 30 days (hooklens serve --keep). Saving here replaces it now and for later runs.',
    );
    await expect(data.getByLabel('Days to keep')).toHaveValue('30');
    await expect(data.getByRole('radio', { name: /The newest .* days/ })).toBeChecked();
    await expect(data.getByTestId('last-prune')).toContainText('to the newest 30 days: nothing older to delete.');

    await data.getByRole('radio', { name: 'Everything' }).check();
    await data.getByRole('button', { name: 'Save retention' }).click();
    await expect(data.getByTestId('retention-run')).toHaveCount(0);
    await expect(page.getByTestId('db-size')).toHaveAttribute('title', /keeps everything/);
  });
});

test('a database that keeps everything says once that it passed 1 GiB, with the way to Settings → Data', async ({ page, hooklens }) => {
  await hooklens.deliver('webhook.test');
  // The size as read from disk, made 1.5 GiB on its way to the page: no test writes a gigabyte.
  await page.route('**/api/call/getStorage', async (route) => {
    const response = await route.fetch();
    const body = (await response.json()) as { result: { bytes: number } };
    await route.fulfill({ response, json: { result: { ...body.result, bytes: 1.5 * 1024 ** 3 } } });
  });
  await page.goto(hooklens.uiUrl);
  const notice = page.getByTestId('large-database-notice');
  await expect(notice).toContainText('The database is 1.5 GiB and keeps every delivery.');

  await notice.getByRole('button', { name: 'Choose what to keep in Settings → Data' }).click();
  const data = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Data' });
  await expect(data).toBeInViewport();
  await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).click();

  // Still there after a look at Settings; gone once dismissed (test/unit/renderer/storage-store.test.ts: for good).
  await expect(notice).toBeVisible();
  await notice.getByRole('button', { name: 'Dismiss' }).click();
  await expect(notice).toHaveCount(0);
});

test('in a browser without requestIdleCallback (Safari), what follows the first rows still loads', async ({ page, hooklens }) => {
  await hooklens.deliver('review.analysed');
  const errors: Error[] = [];
  page.on('pageerror', (error) => errors.push(error));
  await page.addInitScript(() => {
    delete (window as { requestIdleCallback?: unknown }).requestIdleCallback;
  });
  await page.goto(hooklens.uiUrl);
  await expect(page.locator('.feed-row')).toHaveCount(1);
  // The storage status and the Settings answers come after the first rows.
  await expect(page.getByTestId('db-size')).toHaveText(/^\d+(\.\d)? (KiB|MiB)$/);
  await page.getByRole('button', { name: 'Settings' }).click();
  await expect(page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Data' }).getByRole('radio', { name: 'Everything' })).toBeChecked();
  expect(errors).toEqual([]);
});
