import { sampleEvent } from '../../src/main/profile/samples';
import { expect, row, SECRET, test } from './fixtures';
import { watchCsp } from './page-helpers';

test.use({ serveArgs: ['--secret', SECRET] });

test('Compare with original: a retry with a changed value shows the change by path, and the headers side by side', async ({ page, hooklens }) => {
  const csp = watchCsp(page);
  const event = sampleEvent('review.analysed', { id: 'evt_compare_retry' });
  await hooklens.deliver('review.analysed', { body: JSON.stringify(event) });
  await hooklens.deliver('review.analysed', { body: JSON.stringify({ ...event, data: { ...event.data, score: 12 } }), headers: { 'x-retry-note': 'second' } });
  await page.goto(hooklens.uiUrl);
  await row(page, 'evt_compare_retry').first().click();
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  await expect(detail).toContainText('duplicate of #1');
  await detail.getByRole('button', { name: 'More actions' }).click();
  await detail.getByRole('menuitem', { name: /Compare with original/ }).click();
  await expect(detail.getByRole('heading', { name: 'Comparing #1 and #2' })).toBeVisible();
  await expect(detail).toContainText('a retry and its original');
  const changes = detail.getByTestId('json-changes').locator('tbody tr');
  await expect(changes).toHaveCount(1);
  await expect(changes.first()).toHaveText(/changed\s*data\.score\s*87 → 12/);
  await expect(detail.getByTestId('byte-note')).toHaveCount(0);
  const added = detail.getByTestId('header-diff').locator('tr.changed', { hasText: 'x-retry-note' });
  await expect(added).toContainText('second');
  // Both rows are selected in the feed; Esc goes back to one delivery.
  await expect(page.locator('.feed-row.selected')).toHaveCount(2);
  await page.keyboard.press('Escape');
  await expect(detail.getByRole('tab', { name: /Payload/ })).toBeVisible();
  await expect(page.locator('.feed-row.selected')).toHaveCount(1);

  // The key does the same; on a first delivery it says why it cannot.
  await page.keyboard.press('c');
  await expect(detail.getByRole('heading', { name: 'Comparing #1 and #2' })).toBeVisible();
  await page.keyboard.press('Escape');
  await row(page, 'evt_compare_retry').last().click();
  await page.keyboard.press('c');
  await expect(page.getByTestId('toast')).toContainText('is the first delivery of its event');
  expect(csp).toEqual([]);
});

test('the byte note: the same JSON, pretty and compact, under one event id', async ({ page, hooklens }) => {
  const event = sampleEvent('review.flagged', { id: 'evt_same_json' });
  await hooklens.deliver('review.flagged', { body: JSON.stringify(event, null, 2) });
  await hooklens.deliver('review.flagged', { body: JSON.stringify(event) });
  await page.goto(hooklens.uiUrl);
  await row(page, 'evt_same_json').first().click();
  await page.keyboard.press('c');
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  const note = detail.getByTestId('byte-note');
  await expect(note).toContainText('Same JSON, other bytes.');
  await expect(note).toContainText('The JSON is equal but the bytes differ');
  await expect(note).toContainText('a signature over one does not match the other');
  await expect(detail.getByTestId('json-changes')).toHaveCount(0);
});

test('two rows selected with Ctrl/⌘-click are compared; the selection can be exported', async ({ page, hooklens }) => {
  const first = await hooklens.deliver('webhook.test');
  const second = await hooklens.deliver('quota.warning');
  await page.goto(hooklens.uiUrl);
  await row(page, first.id).click();
  await row(page, second.id).click({ modifiers: ['ControlOrMeta'] });
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  await expect(detail.getByRole('heading', { name: 'Comparing #1 and #2' })).toBeVisible();
  await expect(detail.getByTestId('json-changes')).toContainText('data.message');
  await detail.getByRole('button', { name: 'More actions' }).click();
  await detail.getByRole('menuitem', { name: 'Export selection… (2)' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toContainText('The 2 selected deliveries (#1, #2).');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByTestId('export-progress')).toHaveText('2 of 2 · finished');
  const href = await dialog.getByTestId('export-download').getAttribute('href');
  const exported = (await (await page.request.get(href!)).json()) as { deliveries: { eventId: string }[] };
  expect(exported.deliveries.map((delivery) => delivery.eventId).sort()).toEqual([first.id, second.id].sort());
});

test('the Verify tab: the Node snippet carries this delivery’s body as base64 and its signature', async ({ page, hooklens }) => {
  const { id, body } = await hooklens.deliver('review.responded');
  await page.goto(hooklens.uiUrl);
  await row(page, id).click();
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  await detail.getByRole('tab', { name: 'Verify' }).click();
  await expect(detail.getByRole('button', { name: 'Node.js' })).toHaveAttribute('aria-pressed', 'true');
  const snippet = detail.getByTestId('verify-snippet');
  await expect(snippet).toContainText(`Buffer.from("${Buffer.from(body).toString('base64')}", 'base64')`);
  await expect(snippet).toContainText("import { createHmac, timingSafeEqual } from 'node:crypto';");
  await detail.getByRole('button', { name: 'Python' }).click();
  await expect(snippet).toContainText('hmac.compare_digest');
  await expect(detail.getByRole('button', { name: 'Copy', exact: true })).toBeEnabled();
});

test('export everything shown as NDJSON: the progress finishes and the download link returns the lines', async ({ page, hooklens }) => {
  const ids: string[] = [];
  for (const type of ['webhook.test', 'review.analysed', 'quota.exceeded'] as const) ids.push((await hooklens.deliver(type)).id);
  await page.goto(hooklens.uiUrl);
  await row(page, ids[0]!).click();
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  await detail.getByRole('button', { name: 'More actions' }).click();
  await detail.getByRole('menuitem', { name: 'Export everything shown…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toContainText('Every stored delivery (no filter is set).');
  await dialog.getByRole('radio', { name: /^NDJSON/ }).check();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByTestId('export-progress')).toHaveText('3 of 3 · finished');
  await expect(dialog.getByRole('progressbar', { name: 'Deliveries exported' })).toHaveAttribute('value', '3');
  const link = dialog.getByTestId('export-download');
  await expect(link).toHaveText(/^Download hooklens-.*\.ndjson$/);
  const response = await page.request.get((await link.getAttribute('href'))!);
  expect(response.status()).toBe(200);
  const lines = (await response.text()).trim().split('\n').map((line) => JSON.parse(line) as { eventId: string; bodyBase64: string });
  expect(lines.map((line) => line.eventId).sort()).toEqual([...ids].sort());
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('an export with a filter takes only what the filter shows', async ({ page, hooklens }) => {
  await hooklens.deliver('webhook.test');
  const flagged = await hooklens.deliver('review.flagged');
  await page.goto(hooklens.uiUrl);
  await page.locator('.filter-menu summary', { hasText: 'Type' }).click();
  await page.getByRole('group', { name: 'Event types' }).getByLabel('review.flagged').check();
  await expect(page.locator('.feed-row')).toHaveCount(1);
  await row(page, flagged.id).click();
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  await detail.getByRole('button', { name: 'More actions' }).click();
  await detail.getByRole('menuitem', { name: 'Export everything shown…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export' });
  await expect(dialog).toContainText('Every delivery the current filters show');
  await dialog.getByRole('radio', { name: /^NDJSON/ }).check();
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expect(dialog.getByTestId('export-progress')).toHaveText('1 of 1 · finished');
  const text = await (await page.request.get((await dialog.getByTestId('export-download').getAttribute('href'))!)).text();
  expect(text.trim().split('\n').map((line) => (JSON.parse(line) as { eventId: string }).eventId)).toEqual([flagged.id]);
});
