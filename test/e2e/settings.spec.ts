import { expect, row, test } from './fixtures';

test('first run: paste the signing secret, then deliveries verify against it', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  const guide = page.getByRole('region', { name: 'Getting started' });
  await expect(guide).toContainText('Dashboard → ReviewSense → Webhooks → Add Endpoint');
  await expect(guide.locator('.guide-url')).toContainText(hooklens.receiverUrl);
  await guide.getByLabel('Signing secret').fill('whsec_pasted_in_ui');
  await guide.getByRole('button', { name: 'Save secret' }).click();
  await expect(guide.locator('li.done')).toHaveCount(1);

  const { id } = await hooklens.deliver('webhook.test', { secret: 'whsec_pasted_in_ui' });
  await expect(row(page, id).locator('.badge')).toHaveText('✓ valid');
});

test('settings: secrets are listed by label and fingerprint only, rotate, retire, remove', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByLabel('New secret value').fill('whsec_first_value');
  await settings.getByRole('button', { name: 'Add secret' }).click();
  await expect(settings.locator('tbody tr')).toHaveCount(1);
  await expect(settings).not.toContainText('whsec_first_value');
  await expect(settings.getByLabel('New secret value')).toHaveValue('');

  await settings.getByLabel('Rotated secret value').fill('whsec_second_value');
  await settings.getByRole('button', { name: 'Rotate' }).click();
  await expect(settings.getByLabel('Secret label', { exact: true })).toHaveCount(2);
  const labels = await settings.getByLabel('Secret label', { exact: true }).evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  expect(labels.sort()).toEqual(['current', 'previous']);

  // Both verify during the rotation window.
  const old = await hooklens.deliver('quota.exceeded', { secret: 'whsec_first_value' });
  const fresh = await hooklens.deliver('quota.exceeded', { secret: 'whsec_second_value' });
  await expect(row(page, old.id).locator('.badge')).toHaveText('✓ valid');
  await expect(row(page, fresh.id).locator('.badge')).toHaveText('✓ valid');

  const previousRow = settings.locator('tbody tr').filter({ has: page.locator('input[value="previous"]') });
  await previousRow.getByRole('button', { name: 'Retire' }).click();
  await expect(previousRow).toContainText('retired');
  const stale = await hooklens.deliver('quota.exceeded', { secret: 'whsec_first_value' });
  await expect(row(page, stale.id).locator('.badge')).toHaveText('✗ invalid');

  await previousRow.getByRole('button', { name: 'Remove' }).click();
  await expect(settings.locator('tbody tr')).toHaveCount(1);

  await settings.getByLabel('New secret value').fill('whsec_second_value');
  await settings.getByRole('button', { name: 'Add secret' }).click();
  await expect(settings.getByRole('alert')).toContainText('already configured as "current"');
});

test('settings: the add-secret form suggests a label no secret has: "current" for the first, then "secret 2", …', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  const label = settings.getByLabel('New secret label');
  await expect(label).toHaveValue('current');
  await settings.getByLabel('New secret value').fill('whsec_first_value');
  await settings.getByRole('button', { name: 'Add secret' }).click();
  await expect(settings.locator('tbody tr')).toHaveCount(1);
  await expect(label).toHaveValue('secret 2');
  await settings.getByLabel('New secret value').fill('whsec_second_value');
  await settings.getByRole('button', { name: 'Add secret' }).click();
  await expect(settings.locator('tbody tr')).toHaveCount(2);
  const labels = await settings.getByLabel('Secret label', { exact: true }).evaluateAll((inputs) => inputs.map((input) => (input as HTMLInputElement).value));
  expect(labels.sort()).toEqual(['current', 'secret 2']);
  // A label typed in is kept until the secret is added; then the next free one is suggested.
  await label.fill('staging');
  await settings.getByLabel('New secret value').fill('whsec_third_value');
  await settings.getByRole('button', { name: 'Add secret' }).click();
  await expect(settings.locator('tbody tr')).toHaveCount(3);
  await expect(label).toHaveValue('secret 4');
});

test('settings: strict response mode answers 401 to bad signatures', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByLabel(/Strict/).check();
  await settings.getByRole('button', { name: 'Apply' }).nth(1).click();
  await expect.poll(async () => (await hooklens.deliver('webhook.test', { signature: 'nope' })).status).toBe(401);
  await settings.getByLabel('Response status').fill('700');
  await settings.getByRole('button', { name: 'Apply' }).nth(1).click();
  await expect(settings.getByRole('alert')).toContainText('response.status must be a whole number from 200 to 599');
});

test('settings: moving the receiver to another path', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByLabel('Receiver path').fill('/rs/hooks');
  await settings.getByRole('button', { name: 'Apply' }).first().click();
  await expect(page.getByTestId('receiver-url')).toContainText('/rs/hooks');
});

test('settings: delete all deliveries, after a confirmation', async ({ page, hooklens }) => {
  await hooklens.deliver('webhook.test');
  await hooklens.deliver('quota.warning');
  await page.goto(hooklens.uiUrl);
  await expect(page.locator('.feed-row')).toHaveCount(2);
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await settings.getByRole('button', { name: 'Delete all deliveries…' }).click();
  await settings.getByRole('button', { name: 'Keep them' }).click();
  await expect(page.locator('.feed-row')).toHaveCount(2);
  await settings.getByRole('button', { name: 'Delete all deliveries…' }).click();
  await expect(settings).toContainText('Delete all 2 deliveries?');
  await settings.getByRole('button', { name: 'Delete all', exact: true }).click();
  await expect(page.getByTestId('counts')).toContainText('0 deliveries');
  await expect(page.getByText('Receive your first ReviewSense webhook')).toBeVisible();
});

test('settings: a count of one is said in the singular (status bar, Data, Delete all)', async ({ page, hooklens }) => {
  await hooklens.deliver('webhook.test');
  await page.goto(hooklens.uiUrl);
  await expect(page.getByTestId('counts')).toHaveText('1 delivery · 0 valid · 0 duplicates');
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings).toContainText('1 delivery in');
  await settings.getByRole('button', { name: 'Delete all deliveries…' }).click();
  await expect(settings).toContainText('Delete the 1 delivery? This cannot be undone.');
});
