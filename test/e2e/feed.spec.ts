import { expect, row, SECRET, test } from './fixtures';

test.use({ serveArgs: ['--secret', SECRET] });

test('a delivery appears in the feed without a reload, with its verdict and answer', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  await expect(page.getByText('Receive your first ReviewSense webhook')).toBeVisible();
  expect(new URL(page.url()).searchParams.get('token')).toBeNull();

  const { id, status } = await hooklens.deliver('review.analysed');
  expect(status).toBe(200);
  const feedRow = row(page, id);
  await expect(feedRow).toBeVisible();
  await expect(feedRow.locator('.event-type')).toHaveText('review.analysed');
  await expect(feedRow.locator('.badge')).toHaveText('✓ valid');
  await expect(feedRow.locator('.cell-status')).toHaveText('200');
  await expect(page.getByTestId('counts')).toContainText('1 delivery · 1 valid');

  await hooklens.deliver('review.analysed', { id });
  await expect(page.locator('.feed-row')).toHaveCount(2);
  await expect(page.locator('.feed-row').first().locator('.cell-nth')).toHaveText('2nd delivery');
});

test('filters by type, signature and duplicates; searches payloads; navigates by keyboard', async ({ page, hooklens }) => {
  const flagged = await hooklens.deliver('review.flagged', { data: { excerpt: 'cheap watches zebra' } });
  const analysed = await hooklens.deliver('review.analysed');
  const forged = await hooklens.deliver('quota.warning', { secret: 'whsec_wrong' });
  await hooklens.deliver('review.analysed', { id: analysed.id });
  await page.goto(hooklens.uiUrl);
  await expect(page.locator('.feed-row')).toHaveCount(4);

  await page.locator('summary', { hasText: 'Type' }).click();
  await page.getByRole('group', { name: 'Event types' }).getByLabel('review.flagged').check();
  await expect(page.locator('.feed-row')).toHaveCount(1);
  await expect(row(page, flagged.id)).toBeVisible();
  // One thing at a time: Esc closes the menu, the next one clears the filters.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('group', { name: 'Event types' })).toBeHidden();
  await expect(page.locator('.feed-row')).toHaveCount(1);
  await page.keyboard.press('Escape');
  await expect(page.locator('.feed-row')).toHaveCount(4);

  await page.locator('summary', { hasText: 'Signature' }).click();
  await page.getByRole('group', { name: 'Signature statuses' }).getByLabel('invalid').check();
  await expect(page.locator('.feed-row')).toHaveCount(1);
  await expect(row(page, forged.id)).toBeVisible();
  await page.getByRole('button', { name: 'Clear' }).click();

  await page.getByLabel('Duplicates').selectOption('only');
  await expect(page.locator('.feed-row')).toHaveCount(1);
  await expect(page.locator('.feed-row .cell-nth')).toHaveText('2nd delivery');
  await page.getByLabel('Duplicates').selectOption('all');
  await expect(page.locator('.feed-row')).toHaveCount(4);

  await page.keyboard.press('/');
  await expect(page.getByLabel('Search payloads')).toBeFocused();
  await page.keyboard.type('zebra');
  await expect(page.locator('.feed-row')).toHaveCount(1);
  await expect(row(page, flagged.id)).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByLabel('Search payloads')).toHaveValue('');
  await expect(page.locator('.feed-row')).toHaveCount(4);

  await page.keyboard.press('j');
  await expect(page.locator('.feed-row.selected')).toHaveCount(1);
  const first = await page.locator('.feed-row.selected').getAttribute('data-delivery-id');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('j');
  await page.keyboard.press('k');
  const second = await page.locator('.feed-row.selected').getAttribute('data-delivery-id');
  expect(Number(first) - Number(second)).toBe(1);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: 'Delivery detail' })).toBeFocused();
  // Newest first: the duplicate of `analysed`, then `forged`, then `analysed`; j, ↓, j, k lands on `forged`.
  await expect(page.locator('.detail-title')).toContainText(forged.id);
});

test('time range filter hides older deliveries', async ({ page, hooklens }) => {
  const { id } = await hooklens.deliver('webhook.test');
  // The page's clock runs 20 minutes ahead of the delivery.
  await page.clock.install({ time: Date.now() + 20 * 60_000 });
  await page.goto(hooklens.uiUrl);
  await expect(row(page, id)).toBeVisible();
  await page.getByLabel('Time range').selectOption('1h');
  await expect(row(page, id)).toBeVisible();
  await page.getByLabel('Time range').selectOption('15m');
  await expect(page.getByText('No delivery matches these filters.')).toBeVisible();
});

test('says so when the connection to hooklens serve is lost', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  await expect(page.getByTestId('receiver-url')).toBeVisible();
  await expect(page.getByTestId('disconnected')).toHaveCount(0);
  hooklens.run.proc.kill('SIGTERM');
  await hooklens.run.exited;
  await expect(page.getByTestId('disconnected')).toContainText('Lost the connection to Hooklens');
});

test('follows the newest in 600 rows, fetches older ones as you scroll down, and lets them go back at the top', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  await expect(page.getByText('Receive your first ReviewSense webhook')).toBeVisible();
  for (let i = 0; i < 700; i += 25) await Promise.all(Array.from({ length: 25 }, () => hooklens.deliver('webhook.test')));
  const feed = page.getByRole('table', { name: 'Deliveries' });
  const viewport = page.locator('.feed-viewport');
  await expect(feed).toHaveAttribute('aria-rowcount', '600');

  await viewport.evaluate((element) => (element.scrollTop = element.scrollHeight));
  await expect(feed).toHaveAttribute('aria-rowcount', '700');
  await viewport.evaluate((element) => (element.scrollTop = 0));
  await expect(feed).toHaveAttribute('aria-rowcount', '600');
});
