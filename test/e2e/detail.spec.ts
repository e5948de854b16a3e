import { fingerprint, sign } from '../../src/main/profile/signature';
import { expect, row, SECRET, test } from './fixtures';
import { CLEAN_DIGEST_LINES, lineLengths } from './layout-facts';

test.use({ serveArgs: ['--secret', SECRET] });

test('detail tabs show payload, headers in order, signature, deliveries and attempts', async ({ page, hooklens, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const first = await hooklens.deliver('review.analysed', { headers: { 'X-Trace': 'one', 'X-Other': 'two' } });
  await hooklens.deliver('review.analysed', { id: first.id, secret: 'whsec_wrong' });
  await page.goto(hooklens.uiUrl);
  await row(page, first.id).last().click();

  const detail = page.getByRole('region', { name: 'Delivery detail' });
  await expect(detail.locator('.json-tree')).toContainText('"sentiment": "positive"');
  await detail.locator('.json-toggle').first().click();
  await expect(detail.locator('.json-tree')).toContainText('5 keys');
  await detail.getByRole('button', { name: 'Raw' }).click();
  await expect(detail.getByTestId('raw-body')).toHaveText(first.body);
  await detail.getByRole('button', { name: 'Copy body' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(first.body);

  await detail.getByRole('button', { name: 'Copy as cURL' }).click();
  const curl = await page.evaluate(() => navigator.clipboard.readText());
  expect(curl).toContain(`curl -X POST '${hooklens.receiverUrl}'`);
  expect(curl).toContain("-H 'X-Trace: one'");

  await detail.getByRole('tab', { name: /Headers/ }).click();
  const names = await detail.locator('table.kv th').allTextContents();
  expect(names.indexOf('X-Trace')).toBeLessThan(names.indexOf('X-Other'));
  expect(names).toContain('x-reviewsense-signature');

  await detail.getByRole('tab', { name: /Signature/ }).click();
  await expect(detail.locator('.signature-verdict')).toContainText('valid');
  await expect(detail.locator('.signature-verdict')).toContainText('--secret 1');
  await expect(detail.getByTestId('signature-received')).toHaveText(sign(SECRET, first.body));
  await expect(detail.getByTestId('signature-expected')).toHaveCount(1);
  await expect(detail.getByTestId('signature-expected')).toHaveAttribute('data-matches', 'true');
  await expect(detail.getByTestId('signature-expected')).toContainText(`--secret 1${fingerprint(SECRET)}✓ matches${sign(SECRET, first.body)}`);

  await detail.getByRole('tab', { name: /Deliveries/ }).click();
  await expect(detail.locator('table.list tr')).toHaveCount(2);
  await detail.locator('table.list tr').nth(1).click();
  // Signed with a wrong secret: linked to the event, but never a delivery of it.
  await expect(detail.locator('.detail-meta')).toContainText('unverified claim of this event id, not counted (verified original #1)');
  await detail.getByRole('tab', { name: /Signature/ }).click();
  await expect(detail.locator('.signature-verdict')).toContainText('invalid');
  await expect(detail.locator('.diagnosis')).toContainText('does not match the active secret');

  await detail.getByRole('tab', { name: /Attempts/ }).click();
  await expect(detail).toContainText('No outgoing requests');

});

test('Signature tab: the digest of each active secret, named, the one that matched marked; digests whole or in even pieces at 1024 px', async ({ page, hooklens }) => {
  await page.setViewportSize({ width: 1024, height: 700 });
  await page.goto(hooklens.uiUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByLabel('New secret label').fill('staging');
  await settings.getByLabel('New secret value').fill('whsec_e2e_staging');
  await settings.getByRole('button', { name: 'Add secret' }).click();
  await expect(settings.locator('tbody tr')).toHaveCount(2);
  await page.keyboard.press('Escape');

  const staged = await hooklens.deliver('review.flagged', { secret: 'whsec_e2e_staging' });
  const forged = await hooklens.deliver('review.flagged', { secret: 'whsec_someone_else' });
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  await row(page, staged.id).click();
  await detail.getByRole('tab', { name: /Signature/ }).click();
  await expect(detail.locator('.signature-verdict')).toContainText('matched secret staging');
  const expected = detail.getByTestId('signature-expected');
  await expect(expected).toHaveCount(2);
  await expect(expected.nth(0)).toContainText(`--secret 1${fingerprint(SECRET)}${sign(SECRET, staged.body)}`);
  await expect(expected.nth(0)).toHaveAttribute('data-matches', 'false');
  await expect(expected.nth(1)).toContainText(`staging${fingerprint('whsec_e2e_staging')}✓ matches${sign('whsec_e2e_staging', staged.body)}`);
  await expect(expected.nth(1)).toHaveAttribute('data-matches', 'true');
  for (const cell of [detail.getByTestId('signature-received'), ...(await expected.locator('td').all())]) {
    expect(CLEAN_DIGEST_LINES).toContainEqual(await lineLengths(cell));
  }

  // A forgery: the sentence names the same two secrets the list shows, and none is marked.
  await row(page, forged.id).click();
  await expect(detail.locator('.diagnosis')).toContainText(`matches none of the 2 active secrets ('--secret 1' (${fingerprint(SECRET)}), 'staging' (${fingerprint('whsec_e2e_staging')}))`);
  await expect(expected).toHaveCount(2);
  await expect(detail.locator('[data-testid="signature-expected"][data-matches="true"]')).toHaveCount(0);
});

test('the payload is an ARIA tree the keyboard walks, opens and closes; a long array pages on from the keyboard', async ({ page, hooklens }) => {
  const { id } = await hooklens.deliver('review.analysed', { data: { ranks: Array.from({ length: 250 }, (_, i) => i) } });
  await page.goto(hooklens.uiUrl);
  await row(page, id).click();
  const tree = page.getByRole('region', { name: 'Delivery detail' }).getByRole('tree', { name: 'Payload JSON' });
  const item = (name: string | RegExp) => tree.getByRole('treeitem', { name });
  // tree → treeitem → group → treeitem, and one Tab stop: the root.
  await expect(tree.getByRole('treeitem', { level: 1 })).toHaveCount(1);
  await expect(item(/^"data": \{/)).toHaveAttribute('aria-level', '2');
  await expect(tree.getByRole('treeitem', { name: /^"sentiment"/, level: 3 })).toBeVisible();
  await expect(tree.locator('[role="treeitem"][tabindex="0"]')).toHaveCount(1);
  await tree.locator('[role="treeitem"][tabindex="0"]').focus();
  const root = tree.getByRole('treeitem', { level: 1 });
  await expect(root).toBeFocused();

  await page.keyboard.press('ArrowDown');
  await expect(item(/^"id": "evt_/)).toBeFocused();
  // The last item shown: the 250 ranks, closed at first (too many to open unasked).
  await page.keyboard.press('End');
  const ranks = item(/^"ranks": \[/);
  await expect(ranks).toBeFocused();
  await expect(ranks).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('ArrowUp');
  await expect(item('"response_draft": "Thank you for your kind words!..."')).toBeFocused();
  // ← on a leaf goes up to its branch; ← on an open branch closes it, → opens it, → again enters it.
  await page.keyboard.press('ArrowLeft');
  const data = item(/^"data": \{/);
  await expect(data).toBeFocused();
  await page.keyboard.press('ArrowLeft');
  await expect(data).toHaveAttribute('aria-expanded', 'false');
  await expect(data).toHaveAccessibleName('"data": { 7 keys }');
  await expect(item(/^"sentiment"/)).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(data).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(item(/^"analysis_id"/)).toBeFocused();
  await expect(tree.locator('[role="treeitem"][tabindex="0"]')).toHaveCount(1);

  // Opened, 100 ranks show and "show more" pages on, focus on the first new one.
  while (!(await ranks.evaluate((element) => element === document.activeElement))) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(ranks).toHaveAttribute('aria-expanded', 'true');
  // Its children's group is its own by aria-owns (so its name is its line, not all 250 values).
  const rankList = page.locator(`[id="${await ranks.getAttribute('aria-owns')}"]`);
  await expect(rankList).toHaveRole('group');
  await expect(rankList.getByRole('treeitem')).toHaveCount(101);
  await page.keyboard.press('End');
  await expect(item('Show 150 more of 150')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(rankList.getByRole('treeitem')).toHaveCount(250);
  const hundredth = rankList.getByRole('treeitem', { name: '100', exact: true });
  await expect(hundredth).toBeFocused();
  await expect(hundredth).toHaveAttribute('aria-posinset', '101');
  await expect(hundredth).toHaveAttribute('aria-setsize', '250');

  await page.keyboard.press('Home');
  await expect(root).toBeFocused();
  await page.keyboard.press(' ');
  await expect(root).toHaveAttribute('aria-expanded', 'false');
  await expect(tree).toContainText('5 keys');
});

test('the detail tabs are ARIA tabs: one Tab stop, ←/→ around the ends, Home/End, each panel named by its tab', async ({ page, hooklens }) => {
  const { id } = await hooklens.deliver('review.analysed');
  await hooklens.deliver('review.analysed', { id });
  await page.goto(hooklens.uiUrl);
  await row(page, id).last().click();
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  await expect(detail.getByRole('heading', { level: 2 })).toContainText(id);
  const tabs = detail.getByRole('tablist', { name: 'Delivery views' });
  await expect(tabs.locator('[role="tab"][tabindex="0"]')).toHaveCount(1);
  await tabs.getByRole('tab', { name: /Payload/ }).focus();
  await page.keyboard.press('ArrowRight');
  const headers = tabs.getByRole('tab', { name: /Headers/ });
  await expect(headers).toBeFocused();
  await expect(headers).toHaveAttribute('aria-selected', 'true');
  await expect(detail.getByRole('tabpanel', { name: /Headers/ })).toContainText('x-reviewsense-signature');
  await page.keyboard.press('End');
  await expect(tabs.getByRole('tab', { name: 'Verify' })).toBeFocused();
  await page.keyboard.press('ArrowRight');
  await expect(tabs.getByRole('tab', { name: /Payload/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('ArrowLeft');
  await expect(tabs.getByRole('tab', { name: 'Verify' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(tabs.getByRole('tab', { name: /Deliveries/ })).toBeFocused();
  // The other delivery of the event opens from the keyboard too.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect(detail.getByRole('button', { name: /^#\d+$/ })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(detail.getByRole('tabpanel', { name: /Deliveries/ }).locator('[aria-current="true"]')).toHaveText(/^#\d+$/);
  await expect(page.locator('.feed-row.selected .cell-nth')).toHaveText('2nd delivery');
});

test('a hostile payload stays inert text', async ({ page, hooklens }) => {
  const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
  const { id } = await hooklens.deliver('review.flagged', { data: { excerpt: hostile }, headers: { 'X-Evil': hostile } });
  const broken = await hooklens.deliver('webhook.test', { body: `not json ${hostile}`, signature: null });
  await page.goto(hooklens.uiUrl);
  await row(page, id).click();
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  // The tree shows strings as JSON literals: quoted and escaped, never parsed as HTML.
  await expect(detail.locator('.json-tree')).toContainText(JSON.stringify(hostile));
  await detail.getByRole('tab', { name: /Headers/ }).click();
  await expect(detail.locator('table.kv')).toContainText(hostile);
  await page.locator('.feed-row').first().click();
  await detail.getByRole('tab', { name: /Payload/ }).click();
  await expect(detail.getByTestId('raw-body')).toHaveText(broken.body);
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(await page.locator('img[src="x"], .detail script').count()).toBe(0);
});

test('binary bodies are shown as a hex dump', async ({ page, hooklens }) => {
  await hooklens.deliver('webhook.test', { body: Buffer.from([0xff, 0xfe, 0x41, 0x00]), headers: { 'content-type': 'application/octet-stream' } });
  await page.goto(hooklens.uiUrl);
  await page.locator('.feed-row').first().click();
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  await expect(detail).toContainText('not valid UTF-8');
  await expect(detail.getByTestId('hex-body')).toHaveText('00000000  ff fe 41 00                                       ..A.');
});
