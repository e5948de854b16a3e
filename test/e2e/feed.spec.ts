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

test('while the first page is on its way the feed says it is loading, never that nothing matches', async ({ page, hooklens }) => {
  const { id } = await hooklens.deliver('review.analysed');
  // Every notice the feed pane shows, from before the page's own script runs.
  await page.addInitScript(() => {
    const notices = new Set<string>();
    (window as unknown as { feedNotices: Set<string> }).feedNotices = notices;
    new MutationObserver(() => {
      const notice = document.querySelector('.feed-pane > .notice');
      if (notice?.textContent) notices.add(notice.textContent);
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  let answer = () => {};
  const held = new Promise<void>((resolve) => (answer = resolve));
  await page.route('**/api/call/listDeliveries', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(hooklens.uiUrl);
  // A slow first page: the rest of the app is drawn meanwhile, the counts already known.
  await expect(page.locator('.feed-pane').getByRole('status')).toHaveText('Loading deliveries…');
  await expect(page.getByTestId('counts')).toContainText('1 delivery');
  answer();
  await expect(row(page, id)).toBeVisible();
  const notices = await page.evaluate(() => [...(window as unknown as { feedNotices: Set<string> }).feedNotices]);
  expect(notices).toEqual(['Loading deliveries…']);
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
  const feed = page.getByRole('grid', { name: 'Deliveries' });
  const viewport = page.locator('.feed-viewport');
  const lastRow = feed.getByRole('row').last();
  // The grid counts every stored delivery (and its header row), loaded or not.
  await expect(feed).toHaveAttribute('aria-rowcount', '701');
  // 600 rows loaded: the scrollbar is as long as they are.
  await expect.poll(() => viewport.evaluate((element) => element.scrollHeight)).toBe(600 * 30);

  // At the bottom the older 100 are fetched; at the new bottom, the oldest delivery is the grid's last row.
  await expect
    .poll(async () => {
      await viewport.evaluate((element) => (element.scrollTop = element.scrollHeight));
      return lastRow.getAttribute('aria-rowindex');
    })
    .toBe('701');
  await expect.poll(() => viewport.evaluate((element) => element.scrollHeight)).toBe(700 * 30);
  await expect(feed).toHaveAttribute('aria-rowcount', '701');
  await viewport.evaluate((element) => (element.scrollTop = 0));
  await expect.poll(() => viewport.evaluate((element) => element.scrollHeight)).toBe(600 * 30);
  await expect(feed).toHaveAttribute('aria-rowcount', '701');
});

test('the feed is a grid: one Tab stop, the selected row announced, arrows, Home/End, PageDown, Shift+↓ to compare; row indexes right while virtualized', async ({ page, hooklens }) => {
  for (let i = 0; i < 80; i += 20) await Promise.all(Array.from({ length: 20 }, () => hooklens.deliver('webhook.test')));
  await page.goto(hooklens.uiUrl);
  const grid = page.getByRole('grid', { name: 'Deliveries' });
  const rows = grid.getByRole('row');
  await expect(grid).toHaveAttribute('aria-multiselectable', 'true');
  // The header row and the 80 deliveries, all of them loaded.
  await expect(grid).toHaveAttribute('aria-rowcount', '81');
  await expect(grid.getByRole('columnheader')).toHaveText(['Time', 'Event', 'Event id', 'Signature', 'Delivery', 'Answer', 'Out']);
  await expect(rows.nth(1).getByRole('gridcell')).toHaveCount(7);

  // From the search field, past the toolbar, the grid is one Tab stop; the detail pane is next.
  await page.keyboard.press('/');
  let presses = 0;
  while (!(await grid.evaluate((element) => element === document.activeElement)) && presses++ < 12) await page.keyboard.press('Tab');
  await expect(grid).toBeFocused();
  await expect(grid).not.toHaveAttribute('aria-activedescendant');

  const selected = grid.locator('[role="row"][aria-selected="true"]');
  const active = async () => grid.locator(`#${await grid.getAttribute('aria-activedescendant')}`);
  await page.keyboard.press('ArrowDown');
  await expect(selected).toHaveCount(1);
  await expect(selected).toHaveAttribute('aria-rowindex', '2');
  await expect(await active()).toHaveAttribute('aria-rowindex', '2');
  await expect(page.locator('.detail-title')).toContainText('webhook.test');

  await page.keyboard.press('End');
  await expect(selected).toHaveAttribute('aria-rowindex', '81');
  // Whole but for a fraction of a pixel: the feed's height is fractional, the furthest it scrolls is not.
  await expect(selected).toBeInViewport({ ratio: 0.99 });
  // Virtualized: only the rows in view (and a margin) are in the DOM, each with its place in the whole.
  const indexes = (await rows.evaluateAll((all) => all.map((row) => Number(row.getAttribute('aria-rowindex'))))).slice(1);
  expect(indexes.length).toBeLessThan(80);
  expect(indexes).toEqual(indexes.map((_, i) => 81 - indexes.length + 1 + i));
  await expect(rows.first()).toHaveAttribute('aria-rowindex', '1');

  await page.keyboard.press('Home');
  await expect(selected).toHaveAttribute('aria-rowindex', '2');
  await page.keyboard.press('PageDown');
  const paged = Number(await selected.getAttribute('aria-rowindex'));
  expect(paged).toBeGreaterThan(10);
  await expect(selected).toBeInViewport({ ratio: 0.99 });
  await page.keyboard.press('k');
  await expect(selected).toHaveAttribute('aria-rowindex', String(paged - 1));

  // Shift+↓ adds the next row: two selected are compared; the active row is the one moved to.
  await page.keyboard.press('Shift+ArrowDown');
  await expect(selected).toHaveCount(2);
  await expect(await active()).toHaveAttribute('aria-rowindex', String(paged));
  await expect(page.getByRole('region', { name: 'Delivery detail' }).getByRole('heading', { name: /^Comparing #\d+ and #\d+$/ })).toBeVisible();
  await page.keyboard.press('Shift+ArrowDown');
  await expect(selected).toHaveCount(3);
  await page.keyboard.press('Shift+ArrowUp');
  await expect(selected).toHaveCount(2);
  await page.keyboard.press('Escape');
  await expect(selected).toHaveCount(1);
  await expect(grid).toBeFocused();
  // One Tab leaves the grid: its scrolling rows are no stop of their own.
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.closest('.feed') ?? null)).toBeNull();
  await expect(page.getByRole('region', { name: 'Delivery detail' }).locator(':focus')).toHaveCount(1);
});

test('screen readers hear new deliveries summed up, not one by one: 300 in a burst are a sentence or two that count them all', async ({ page, hooklens }) => {
  // Every sentence the live region says, as it says it.
  await page.addInitScript(() => {
    const said: string[] = [];
    (window as unknown as { __said: string[] }).__said = said;
    new MutationObserver(() => {
      const region = document.querySelector('[data-testid="announcements"]');
      const text = region?.textContent ?? '';
      if (text && text !== said.at(-1)) said.push(text);
    }).observe(document, { childList: true, subtree: true, characterData: true });
  });
  await page.goto(hooklens.uiUrl);
  const region = page.getByTestId('announcements');
  await expect(region).toHaveAttribute('aria-live', 'polite');
  await expect(region).toHaveText('');

  await hooklens.deliver('review.analysed');
  await expect(region).toHaveText('New delivery: review.analysed, signature valid.');

  for (let i = 0; i < 300; i += 30) await Promise.all(Array.from({ length: 30 }, (_, n) => hooklens.deliver('webhook.test', n === 0 ? { secret: 'whsec_wrong' } : {})));
  const said = () => page.evaluate(() => (window as unknown as { __said: string[] }).__said.slice(1));
  const counted = async () => (await said()).reduce((sum, text) => sum + Number(/^([\d,]+) new deliveries/.exec(text)?.[1]?.replace(',', '') ?? 0), 0);
  await expect.poll(counted, { timeout: 20_000 }).toBe(300);
  const sentences = await said();
  expect(sentences.length).toBeLessThan(10);
  expect(sentences.join(' ')).toContain('invalid');
  for (const text of sentences) expect(text).toMatch(/^[\d,]+ new deliveries: [\d,]+ valid(, [\d,]+ invalid)?\.$/);
});

test('Esc pressed the instant a menu opens (Type, Signature, ⋯, Replay ▾) closes that menu, and leaves the filters as chosen', async ({ page, hooklens }) => {
  await hooklens.deliver('quota.warning');
  await page.goto(hooklens.uiUrl);
  const typeMenu = page.locator('details.filter-menu', { hasText: 'Type' });
  await typeMenu.locator('summary').click();
  await page.getByRole('group', { name: 'Event types' }).getByLabel('quota.warning').check();
  await page.keyboard.press('Escape');
  await expect(typeMenu.locator('summary')).toHaveText('Type (1)');

  // A click, then Esc before the page's next task, as a quick hand on a busy machine does it.
  await page.evaluate(async () => {
    const summary = [...document.querySelectorAll('details.filter-menu summary')].find((element) => element.textContent === 'Signature') as HTMLElement;
    summary.click();
    for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
    summary.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
  });
  await expect(page.getByRole('group', { name: 'Signature statuses' })).toBeHidden();
  await expect(typeMenu.locator('summary')).toHaveText('Type (1)');
  await expect(page.locator('.feed-row')).toHaveCount(1);

  // The same for the menus a button opens: ⋯ and Replay ▾ on the delivery.
  await page.locator('.feed-row').first().click();
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  for (const [button, menu] of [
    ['More actions', detail.getByRole('menu', { name: 'More actions' })],
    ['Replay ▾', detail.getByRole('group', { name: 'Replay' })],
  ] as const) {
    const opener = detail.getByRole('button', { name: button, exact: true });
    // Opened at a human pace first: the menu is the one this finds.
    await opener.click();
    await expect(menu).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(menu).toBeHidden();
    await opener.evaluate(async (element: HTMLElement) => {
      element.click();
      for (let turn = 0; turn < 5; turn += 1) await Promise.resolve();
      element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true }));
    });
    await expect(menu).toBeHidden();
    await expect(typeMenu.locator('summary')).toHaveText('Type (1)');
  }
});
