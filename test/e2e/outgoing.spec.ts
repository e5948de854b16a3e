import { sign } from '../../src/main/profile/signature';
import { expect, row, SECRET, test } from './fixtures';
import { answering, startApp } from '../helpers/app-server';
import { editorText, watchCsp } from './page-helpers';

test.use({ serveArgs: ['--secret', SECRET] });

test('forge from the composer into the feed: a signed row without ReviewSense, then a tampered one', async ({ page, hooklens }) => {
  const csp = watchCsp(page);
  await page.goto(hooklens.uiUrl);
  await page.getByRole('button', { name: 'Send test event' }).click();
  const composer = page.getByRole('dialog', { name: 'Send test event' });
  await composer.getByLabel('Event type').selectOption('review.flagged');
  await expect(composer.locator('.cm-content')).toContainText('"type": "review.flagged"');
  await expect(composer.getByLabel('Target')).toHaveValue('');
  await expect(composer.getByLabel('Target')).toHaveAttribute('placeholder', `Hooklens' own receiver (${new URL(hooklens.receiverUrl).host})`);
  await expect(composer.getByTestId('event-check')).toContainText('Looks like a review.flagged event');
  await expect(composer.getByTestId('signature-preview')).toContainText(/X-ReviewSense-Signature: [0-9a-f]{64}/);
  const sent = JSON.parse(await editorText(page)) as { id: string };

  await composer.getByRole('button', { name: /^Send/ }).first().click();
  const answer = composer.getByTestId('composer-answer');
  await expect(answer.locator('.status-code')).toHaveText('200');
  await expect(answer).toContainText('would count as delivered');
  await expect(row(page, sent.id).locator('.event-type')).toHaveText('review.flagged');
  await expect(row(page, sent.id).locator('.badge')).toHaveText('✓ valid');

  // Tampered: signed, then changed; Hooklens' receiver sees an invalid signature.
  await composer.getByLabel('Signature').selectOption('tampered');
  await composer.getByRole('button', { name: 'New id' }).click();
  await expect.poll(async () => (JSON.parse(await editorText(page)) as { id: string }).id).not.toBe(sent.id);
  const tampered = JSON.parse(await editorText(page)) as { id: string; type: string };
  expect(tampered.type).toBe('review.flagged');
  await composer.getByRole('button', { name: /^Send/ }).first().click();
  await expect(row(page, tampered.id).locator('.badge')).toHaveText('✗ invalid');
  await expect(answer).toContainText('would count as delivered');

  // Same event again: the same bytes once more, a redelivery of the same id.
  await composer.getByLabel('Signature').selectOption('valid');
  await composer.getByRole('button', { name: 'Same event again' }).click();
  await expect(row(page, tampered.id)).toHaveCount(2);
  await page.keyboard.press('Escape');
  await expect(composer).toHaveCount(0);
  expect(csp).toEqual([]);
});

test('replay edited: the app gets the edited bytes with a valid signature, and its answer shows in Attempts', async ({ page, hooklens }) => {
  const app = await startApp(answering({ status: 202, body: '{"accepted":"by the test app"}' }));
  try {
    const captured = await hooklens.deliver('review.analysed');
    await page.goto(hooklens.uiUrl);
    await row(page, captured.id).click();
    const detail = page.getByRole('region', { name: 'Delivery detail' });
    await detail.getByRole('button', { name: 'Replay ▾', exact: true }).click();
    await detail.getByRole('button', { name: 'Edit and replay…' }).click();

    const composer = page.getByRole('dialog', { name: 'Send test event' });
    await expect(composer.locator('.cm-content')).toContainText(captured.id);
    const edited = captured.body.replace(/"score":\d+/, '"score":12');
    expect(edited).not.toBe(captured.body);
    await composer.locator('.cm-content').click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(edited);
    await expect(composer.locator('.cm-content')).toContainText('"score":12');
    await composer.getByLabel('Target').fill(app.url());
    await composer.getByRole('button', { name: /^Send/ }).first().click();
    await expect(composer.getByTestId('composer-answer').locator('.status-code')).toHaveText('202');
    await expect(composer.getByTestId('composer-answer')).toContainText('"accepted":"by the test app"');
    await page.keyboard.press('Escape');

    expect(app.received).toHaveLength(1);
    const request = app.received[0]!;
    expect(request.body.toString()).toBe(edited);
    expect(request.header('x-reviewsense-signature')).toBe(sign(SECRET, edited));

    await detail.getByRole('tab', { name: /Attempts/ }).click();
    const attempt = detail.locator('details.attempt').first();
    await expect(attempt.locator('summary')).toContainText('Replay');
    await expect(attempt.locator('summary .status-code')).toHaveText('202');
    await expect(attempt.locator('summary')).toContainText('would count as delivered');
    await attempt.locator('summary').click();
    await expect(attempt.locator('.attempt-body')).toContainText(app.url());
    await expect(attempt.locator('.attempt-body')).toContainText('"score":12');
    await expect(attempt.locator('.attempt-body')).toContainText("within ReviewSense's 10-s limit");
    // The feed's Out column shows the replay's answer.
    await expect(row(page, captured.id).locator('.cell-out')).toHaveText('→ 202 ✓');
  } finally {
    await app.close();
  }
});

test('forwarding: every new delivery goes to the app, and its answer shows in the feed', async ({ page, hooklens }) => {
  const answer = { status: 200, body: 'ok' };
  const app = await startApp(answering(answer));
  try {
    await page.goto(hooklens.uiUrl);
    await expect(page.getByTestId('forwarding-status')).toHaveText('Forwarding off');
    await page.getByTestId('forwarding-status').click();
    const forwarding = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Forwarding' });
    await forwarding.getByLabel('Target').fill(app.url());
    await forwarding.getByLabel('Forwarding on').check();
    await expect(page.getByTestId('forwarding-status')).toHaveText(`forwarding → ${app.url()}`);
    await page.keyboard.press('Escape');

    const first = await hooklens.deliver('review.flagged');
    await expect(row(page, first.id).locator('.cell-out')).toHaveText('→ 200 ✓');
    expect(app.received.at(-1)?.body.toString()).toBe(first.body);
    expect(app.received.at(-1)?.header('x-reviewsense-signature')).toBe(sign(SECRET, first.body));

    answer.status = 500;
    const second = await hooklens.deliver('quota.warning');
    await expect(row(page, second.id).locator('.cell-out')).toHaveText('→ 500 ✗');
    await row(page, second.id).click();
    const detail = page.getByRole('region', { name: 'Delivery detail' });
    await detail.getByRole('tab', { name: /Attempts/ }).click();
    await expect(detail.locator('details.attempt summary .verdict')).toHaveClass(/bad/);
    await expect(detail.locator('details.attempt summary')).toContainText('would fail (answered 500)');

    // The app goes away: deliveries wait in the queue, shown in the status bar and Settings.
    await app.close();
    const third = await hooklens.deliver('webhook.test');
    await expect(row(page, third.id).locator('.cell-out')).toHaveText('queued');
    await expect(page.getByTestId('forwarding-status')).toContainText('(queue 1)');
    await page.getByTestId('forwarding-status').click();
    await expect(forwarding.getByTestId('forward-queue')).toContainText('1 waiting');
    await forwarding.getByRole('button', { name: 'Drop all' }).click();
    await expect(forwarding.getByTestId('forward-queue')).toContainText('nothing waiting');
    await expect(page.getByTestId('forwarding-status')).toHaveText(`forwarding → ${app.url()}`);
  } finally {
    await app.close();
  }
});

test('forwarding with the app down: each queued row says so and why; a refused target pauses the queue with its reason', async ({ page, hooklens }) => {
  // A port with nothing listening: the app is down.
  const gone = await startApp(answering({ status: 200, body: 'ok' }));
  await gone.close();
  await page.goto(hooklens.uiUrl);
  await page.getByTestId('forwarding-status').click();
  const forwarding = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Forwarding' });
  await forwarding.getByLabel('Target').fill(gone.url());
  await forwarding.getByLabel('Forwarding on').check();
  await page.keyboard.press('Escape');

  const first = await hooklens.deliver('review.flagged');
  const second = await hooklens.deliver('quota.warning');
  await expect(row(page, first.id).locator('.cell-out')).toHaveText('queued');
  await expect(row(page, second.id).locator('.cell-out')).toHaveText('queued');
  await expect(page.getByTestId('forwarding-status')).toContainText('(queue 2)');
  const detail = page.getByRole('region', { name: 'Delivery detail' });
  await row(page, second.id).click();
  await detail.getByRole('tab', { name: /Attempts/ }).click();
  await expect(detail.getByTestId('forward-waiting')).toContainText('Waiting in the forward queue for its turn');
  await row(page, first.id).click();
  await detail.getByRole('tab', { name: /Attempts/ }).click();
  await expect(detail.getByTestId('forward-waiting')).toContainText('your app gave no answer yet');

  // A target the outgoing rules refuse: the queue pauses and says why; nothing is dropped.
  await page.getByTestId('forwarding-status').click();
  await forwarding.getByLabel('Target').fill('http://10.255.255.1:3000/webhooks');
  await forwarding.getByRole('button', { name: 'Save target' }).click();
  await expect(forwarding.getByTestId('forward-paused')).toContainText('10.255.255.1 resolves to 10.255.255.1, which is not this machine');
  await expect(forwarding.getByTestId('forward-queue')).toContainText('2 waiting');
  await expect(page.getByTestId('forwarding-status')).toContainText('paused');

  // Back to a running app: the queue goes on, in order, and the rows show its answers.
  const app = await startApp(answering({ status: 200, body: 'ok' }));
  try {
    await forwarding.getByLabel('Target').fill(app.url());
    await forwarding.getByRole('button', { name: 'Save target' }).click();
    await expect(forwarding.getByTestId('forward-queue')).toContainText('nothing waiting');
    await page.keyboard.press('Escape');
    await expect(row(page, first.id).locator('.cell-out')).toHaveText('→ 200 ✓');
    await expect(row(page, second.id).locator('.cell-out')).toHaveText('→ 200 ✓');
    expect(app.received.map((request) => request.body.toString())).toEqual([first.body, second.body]);
  } finally {
    await app.close();
  }
});

test('the feed fits its pane at 1024 and 1400 px', async ({ page, hooklens }) => {
  for (const type of ['review.response_ready', 'review.analysed', 'quota.exceeded'] as const) await hooklens.deliver(type);
  const claimed = await hooklens.deliver('review.analysed');
  await hooklens.deliver('review.analysed', { id: claimed.id, secret: 'whsec_wrong' });
  await page.goto(hooklens.uiUrl);
  await expect(page.locator('.feed-row')).toHaveCount(5);
  await expect(page.locator('.feed-row').first().locator('.cell-nth')).toHaveText('unverified');
  for (const width of [1024, 1400]) {
    await page.setViewportSize({ width, height: 800 });
    const pane = (await page.locator('.feed-pane').boundingBox())!;
    const header = page.locator('.feed-header [role="columnheader"]');
    await expect(header.last()).toHaveText('Out');
    const last = (await header.last().boundingBox())!;
    expect(last.x + last.width, `last header cell at ${width} px`).toBeLessThanOrEqual(pane.x + pane.width);
    const answer = (await page.locator('.feed-header .cell-status').boundingBox())!;
    expect(answer.x + answer.width).toBeLessThanOrEqual(pane.x + pane.width);
    for (const cell of await page.locator('.feed-row .cell-out').all()) {
      const box = (await cell.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(pane.x + pane.width);
    }
    expect(await page.locator('.feed').evaluate((feed) => feed.scrollWidth <= feed.clientWidth)).toBe(true);
    // Their headings whole, not cut to "ANS…".
    for (const name of ['Answer', 'Out']) {
      const heading = page.getByRole('columnheader', { name, exact: true });
      expect(await heading.evaluate((cell) => cell.scrollWidth <= cell.clientWidth), `${name} at ${width} px`).toBe(true);
    }
  }
});
