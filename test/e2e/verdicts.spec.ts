import { fingerprint } from '../../src/main/profile/signature';
import { handlers, type WebhookHandler } from '../helpers/handlers';
import { expect, row, SECRET, test } from './fixtures';

test.use({ serveArgs: ['--secret', SECRET] });

const PRINT = fingerprint(SECRET);

async function withHandler<T>(start: Promise<WebhookHandler>, use: (app: WebhookHandler) => Promise<T>): Promise<T> {
  const app = await start;
  try {
    return await use(app);
  } finally {
    await app.close();
  }
}

test('the composer judges a broken signature the way its developer means it, and names the secret that signed', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  await page.getByRole('button', { name: 'Send test event' }).click();
  const composer = page.getByRole('dialog', { name: 'Send test event' });
  const answer = composer.getByTestId('composer-answer');
  const send = composer.getByRole('button', { name: /^Send/ }).first();

  await withHandler(handlers.correct(SECRET), async (app) => {
    await composer.getByLabel('Target').fill(app.url);
    await composer.getByLabel('Signature').selectOption('tampered');
    await send.click();
    await expect(answer.getByTestId('verdict')).toHaveText('✓ rightly refused (answered 401)');
    await expect(answer.getByTestId('verdict')).toHaveClass(/ok/);
    await expect(answer.getByTestId('signed-with')).toContainText(`signed with '--secret 1' (${PRINT}), then tampered`);

    await composer.getByLabel('Signature').selectOption('valid');
    await send.click();
    await expect(answer.getByTestId('verdict')).toHaveText('✓ would count as delivered');
    await expect(answer.getByTestId('signed-with')).toContainText(`signed with '--secret 1' (${PRINT})`);
  });

  await withHandler(handlers.acceptsAnything(SECRET), async (app) => {
    await composer.getByLabel('Target').fill(app.url);
    await composer.getByLabel('Signature').selectOption('none');
    await send.click();
    await expect(answer.getByTestId('verdict')).toContainText('✗ your handler accepted a forged request (answered 200)');
    await expect(answer.getByTestId('verdict')).toHaveClass(/bad/);
  });
});

test('every replay says what it was: as captured, re-signed with which secret, or edited', async ({ page, hooklens }) => {
  const { id } = await hooklens.deliver('review.analysed', { secret: 'whsec_someone_else' });
  await page.goto(hooklens.uiUrl);
  await withHandler(handlers.correct(SECRET), async (app) => {
    await row(page, id).click();
    const detail = page.getByRole('region', { name: 'Delivery detail' });
    await detail.getByRole('button', { name: 'Replay ▾', exact: true }).click();
    await detail.getByLabel('Target').fill(app.url);
    // As captured: a forged capture, rightly refused by a correct handler.
    await detail.getByRole('button', { name: 'Replay as captured' }).click();
    await expect(page.getByTestId('toast')).toContainText('rightly refused (answered 401)');
    // The toast comes with the pushed attempt, the menu closes with the call's answer: either may be first.
    await expect(detail.getByRole('button', { name: 'Replay as captured' })).toBeHidden();

    await detail.getByRole('button', { name: 'Replay ▾', exact: true }).click();
    await detail.getByRole('button', { name: 'Replay re-signed…' }).click();
    await detail.getByRole('button', { name: 'Re-sign and send' }).click();
    await expect(page.getByTestId('toast')).toContainText('would count as delivered');

    await page.keyboard.press('e');
    const composer = page.getByRole('dialog', { name: 'Send test event' });
    await composer.getByLabel('Target').fill(app.url);
    const editor = composer.getByRole('textbox', { name: 'Event JSON' });
    await editor.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.insertText(' ');
    await composer.getByRole('button', { name: /^Send/ }).first().click();
    await expect(composer.getByTestId('verdict')).toHaveText('✓ would count as delivered');
    await page.keyboard.press('Escape');

    await detail.getByRole('tab', { name: /Attempts/ }).click();
    await expect(detail.getByTestId('attempt-title')).toHaveText([
      `Replay, edited, signed with '--secret 1' (${PRINT})`,
      `Replay, re-signed with '--secret 1' (${PRINT})`,
      'Replay as captured',
    ]);
    await expect(row(page, id).first().locator('.cell-out')).toHaveText('→ 200 ✓');
  });
});

test.describe('with secrets saved in Settings', () => {
  test.use({ serveArgs: [] });

  test('the current secret signs by default everywhere, not the newest one added', async ({ page, hooklens }) => {
    const { id } = await hooklens.deliver('review.analysed', { secret: 'whsec_saved_current' });
    await page.goto(hooklens.uiUrl);
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    for (const [label, value] of [
      ['current', 'whsec_saved_current'],
      ['other', 'whsec_added_later'],
    ] as const) {
      await settings.getByLabel('New secret label').fill(label);
      await settings.getByLabel('New secret value').fill(value);
      await settings.getByRole('button', { name: 'Add secret' }).click();
    }
    await expect(settings.locator('tbody tr')).toHaveCount(2);
    await page.keyboard.press('Escape');
    const current = `current (${fingerprint('whsec_saved_current')})`;

    await page.getByRole('button', { name: 'Send test event' }).click();
    const composer = page.getByRole('dialog', { name: 'Send test event' });
    await expect(composer.getByLabel('Secret').locator('option:checked')).toHaveText(current);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Check endpoint' }).click();
    await expect(page.getByRole('dialog', { name: /Check/ }).getByLabel('Secret').locator('option:checked')).toHaveText(current);
    await page.keyboard.press('Escape');

    await row(page, id).click();
    const detail = page.getByRole('region', { name: 'Delivery detail' });
    await detail.getByRole('button', { name: 'Replay ▾', exact: true }).click();
    await detail.getByRole('button', { name: 'Replay re-signed…' }).click();
    await expect(detail.getByLabel('Re-sign with').locator('option:checked')).toHaveText(current);
  });
});
