import { sampleEvent } from '../../src/main/profile/samples';
import { expect, row, SECRET, test } from './fixtures';
import { watchCsp } from './page-helpers';

test.use({ serveArgs: ['--secret', SECRET] });

test('the JSON editor renders, types and checks as you type, under the strict CSP', async ({ page, hooklens }) => {
  const csp = watchCsp(page);
  await page.goto(hooklens.uiUrl);
  await expect(page.getByTestId('counts')).toBeVisible();
  await page.keyboard.press('n');
  const composer = page.getByRole('dialog', { name: 'Send test event' });
  await expect(composer.getByLabel('Event type')).toBeFocused();
  await composer.getByLabel('Event type').selectOption('review.flagged');
  const editor = composer.getByRole('textbox', { name: 'Event JSON' });
  await expect(editor).toContainText('"reason": "spam"');
  // CodeMirror's own styles applied (they would be refused as a <style> element).
  await expect(composer.locator('.cm-editor')).toHaveCSS('display', 'flex');
  await expect(composer.locator('.cm-gutters')).toBeVisible();

  // A schema problem: underlined as a warning, summed up under the editor.
  const body = JSON.stringify({ ...sampleEvent('review.flagged'), data: { ...sampleEvent('review.flagged').data, confidence: 'high' } }, null, 2);
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(body);
  await expect(composer.getByTestId('event-check')).toContainText('1 problem: "data.confidence" should be a number from 0 to 1, not a string ("high").');
  await expect(composer.locator('.cm-lintRange-warning')).toHaveText('"high"');

  // A syntax error as typed, key by key: an error diagnostic.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('{"id": "evt_typed", "type": ');
  await expect(editor).toHaveText('{"id": "evt_typed", "type": ');
  await expect(composer.getByTestId('event-check')).toContainText('1 problem: Expected a value');
  await expect(composer.locator('.cm-lint-marker-error')).toHaveCount(1);
  await page.keyboard.type('"webhook.test", "created_at": "2026-04-24T14:30:00Z", "api_version": "v1", "data": {"message": "hi", "endpoint_id": "rs_whe_1"}}');
  await expect(composer.getByTestId('event-check')).toContainText('"type" is webhook.test, but the event type chosen is review.flagged.');
  await composer.getByLabel('Event type').selectOption('webhook.test');
  await editor.click();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(editor).not.toContainText('"type": "webhook.test"');

  // Ctrl+Enter sends from inside the editor.
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(JSON.stringify(sampleEvent('webhook.test', { id: 'evt_from_keyboard' })));
  await page.keyboard.press('ControlOrMeta+Enter');
  await expect(composer.getByTestId('composer-answer')).toContainText('would count as delivered');
  await expect(row(page, 'evt_from_keyboard').locator('.badge')).toHaveText('✓ valid');
  expect(await page.locator('style').count()).toBe(0);
  await page.keyboard.press('Escape');
  await expect(composer).toHaveCount(0);
  expect(csp).toEqual([]);
});

test('keys: r replays the selected delivery as captured, e opens it in the composer; a toast tells the answer', async ({ page, hooklens }) => {
  const { id } = await hooklens.deliver('review.responded');
  await page.goto(hooklens.uiUrl);
  await row(page, id).click();
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  await expect(detail.getByRole('tab', { name: /Payload/ })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('r');
  await expect(page.getByTestId('toast')).toHaveText(/Replay answered 200 in \d+ ms — would count as delivered/);
  await expect(detail.getByRole('tab', { name: /Attempts/ })).toContainText('1');
  await expect(detail.getByRole('tab', { name: /Payload/ })).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('.feed-row')).toHaveCount(2);
  await expect(row(page, id).first().locator('.cell-nth')).toHaveText('2nd delivery');

  await row(page, id).last().click();
  await page.keyboard.press('e');
  const composer = page.getByRole('dialog', { name: 'Send test event' });
  await expect(composer).toContainText('Edit and replay of delivery #1');
  await expect(composer.getByRole('textbox', { name: 'Event JSON' })).toContainText(id);
  await expect(composer.getByRole('button', { name: /^Send/ }).first()).toHaveText('Send replay');
  await page.keyboard.press('Escape');
  await expect(composer).toHaveCount(0);
});

test('Replay re-signed: a delivery signed with the wrong secret comes back valid', async ({ page, hooklens }) => {
  const { id } = await hooklens.deliver('review.analysed', { secret: 'whsec_wrong' });
  await page.goto(hooklens.uiUrl);
  await row(page, id).click();
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  await detail.getByRole('button', { name: 'Replay ▾', exact: true }).click();
  await expect(detail.getByLabel('Target')).toHaveValue('');
  await detail.getByRole('button', { name: 'Replay re-signed…' }).click();
  await expect(detail.getByLabel('Re-sign with')).toContainText('--secret 1');
  await detail.getByRole('button', { name: 'Re-sign and send' }).click();
  await expect(page.getByTestId('toast')).toContainText('would count as delivered');
  await expect(row(page, id).first().locator('.badge')).toHaveText('✓ valid');
  await expect(row(page, id).last().locator('.badge')).toHaveText('✗ invalid');
  await expect(detail.getByRole('group', { name: 'Replay' })).toHaveCount(0);

  // A refused target is said next to the button.
  await detail.getByRole('button', { name: 'Replay ▾', exact: true }).click();
  await detail.getByLabel('Target').fill('not a url');
  await detail.getByRole('button', { name: 'Replay as captured' }).click();
  await expect(detail.getByRole('alert')).toContainText('http:// or https://');
});

test('templates: save the body under a name, load it, delete it', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  await page.getByRole('button', { name: 'Send test event' }).click();
  const composer = page.getByRole('dialog', { name: 'Send test event' });
  const editor = composer.getByRole('textbox', { name: 'Event JSON' });
  await composer.getByLabel('Event type').selectOption('quota.exceeded');
  await expect(editor).toContainText('"usage": 10000');
  await composer.getByLabel('Template name').fill('over quota');
  await composer.getByRole('button', { name: 'Save template' }).click();
  await expect(composer.getByLabel('Saved templates')).toHaveValue('over quota');

  await composer.getByLabel('Event type').selectOption('webhook.test');
  await expect(editor).toContainText('"type": "webhook.test"');
  await composer.getByRole('button', { name: 'Load' }).click();
  await expect(editor).toContainText('"usage": 10000');
  await expect(composer.getByLabel('Event type')).toHaveValue('quota.exceeded');
  await composer.getByRole('button', { name: 'Delete template' }).click();
  await expect(composer.getByLabel('Saved templates')).toContainText('No saved templates');
});

test('first run: "Send a test event" opens the composer aimed at Hooklens, and a signed row appears', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  const guide = page.getByRole('region', { name: 'Getting started' });
  await guide.getByRole('button', { name: 'Send a test event' }).click();
  const composer = page.getByRole('dialog', { name: 'Send test event' });
  await expect(composer.getByLabel('Target')).toHaveValue('');
  await expect(composer.getByLabel('Secret')).toContainText('--secret 1');
  await composer.getByRole('button', { name: 'Send', exact: true }).click();
  await expect(composer.getByTestId('composer-answer')).toContainText('would count as delivered');
  await expect(page.locator('.feed-row .badge')).toHaveText('✓ valid');
  await expect(guide).toHaveCount(0);
});

test('settings: hosts allowed beyond loopback are added and removed', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  await page.getByRole('button', { name: 'Settings' }).click();
  const outgoing = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Outgoing' });
  await expect(outgoing).toContainText('Loopback only.');
  await expect(outgoing).toContainText('only to this machine');
  await outgoing.getByLabel('Allowed host').fill('Staging.Example.com');
  await outgoing.getByRole('button', { name: 'Allow host' }).click();
  await expect(outgoing.getByRole('listitem')).toHaveText(/staging\.example\.com/);
  await outgoing.getByRole('button', { name: 'Remove' }).click();
  await expect(outgoing).toContainText('Loopback only.');
});
