import { expect, row, SECRET, test } from './fixtures';
import { answeringBy, startApp, verifyingWith } from '../helpers/app-server';
import { watchCsp } from './page-helpers';

test.use({ serveArgs: ['--secret', SECRET] });


test('Check endpoint: a handler that verifies correctly passes all 17 probes; the report and the CLI command copy', async ({ page, hooklens, context }) => {
  const csp = watchCsp(page);
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const handler = await startApp(verifyingWith(SECRET));
  try {
    await page.goto(hooklens.uiUrl);
    await page.getByRole('button', { name: 'Check endpoint' }).click();
    const panel = page.getByRole('dialog', { name: 'Check endpoint' });
    await expect(panel.getByLabel('Target')).toBeFocused();
    await panel.getByLabel('Target').fill(handler.url());
    await expect(panel.getByLabel('Secret')).toContainText('--secret 1');
    await panel.getByRole('button', { name: 'Run' }).click();
    await expect(panel.getByTestId('check-progress')).toHaveText('17 of 17');
    await expect(panel.getByTestId('check-verdict')).toContainText('All 17 probes passed');
    await expect(panel.locator('details.probe')).toHaveCount(17);
    await expect(panel.locator('details.probe[data-ok="false"]')).toHaveCount(0);
    // Passing probes stay folded; opening one shows what was sent and what came back.
    await expect(panel.locator('details.probe[open]')).toHaveCount(0);
    const probe = panel.locator('details.probe', { hasText: 'forged: missing signature' });
    await probe.locator('summary').click();
    await expect(probe).toContainText('Sent');
    await expect(probe).toContainText('Came back');
    await expect(probe).toContainText("within ReviewSense's 10-s limit");

    await panel.getByRole('button', { name: 'Copy report as JSON' }).click();
    const report = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as { ok: boolean; target: string; probes: Record<string, unknown>[] };
    expect(report.ok).toBe(true);
    expect(report.target).toBe(handler.url());
    expect(report.probes).toHaveLength(17);
    expect(Object.keys(report.probes[0]!)).toEqual(['name', 'ok', 'expected', 'got', 'ms', 'advice']);
    await panel.getByRole('button', { name: 'Copy CLI command' }).click();
    const command = await page.evaluate(() => navigator.clipboard.readText());
    expect(command).toBe(`npx hooklens check ${handler.url()} --secret-file reviewsense-secret.txt`);
    expect(command).not.toContain(SECRET);

    // The Target is remembered for the next time.
    await page.keyboard.press('Escape');
    await expect(panel).toHaveCount(0);
    await page.reload();
    await page.getByRole('button', { name: 'Check endpoint' }).click();
    await expect(panel.getByLabel('Target')).toHaveValue(handler.url());
    expect(csp).toEqual([]);
  } finally {
    await handler.close();
  }
});

test('Check endpoint: a handler that accepts anything fails the forgery probes, first and open, each with the fix', async ({ page, hooklens }) => {
  const handler = await startApp(answeringBy(() => 200));
  try {
    await page.goto(hooklens.uiUrl);
    await page.getByRole('button', { name: 'Check endpoint' }).click();
    const panel = page.getByRole('dialog', { name: 'Check endpoint' });
    await panel.getByLabel('Target').fill(handler.url());
    await panel.getByRole('button', { name: 'Run' }).click();
    await expect(panel.getByTestId('check-progress')).toHaveText('17 of 17');
    await expect(panel.getByTestId('check-verdict')).toContainText('8 of 17 probes failed');
    const probes = panel.locator('details.probe');
    for (let index = 0; index < 8; index++) {
      const probe = probes.nth(index);
      await expect(probe).toHaveAttribute('data-ok', 'false');
      await expect(probe).toHaveAttribute('open', '');
      await expect(probe.locator('.probe-name')).toHaveText(/^(forged|malformed): /);
      await expect(probe.locator('.advice')).toContainText('Your handler accepted a forged request: it does not verify signatures');
    }
    await expect(probes.nth(8)).toHaveAttribute('data-ok', 'true');
    await expect(probes.nth(8)).not.toHaveAttribute('open', '');
    // What was sent, with its own curl command.
    const missing = panel.locator('details.probe', { hasText: 'forged: missing signature' });
    await expect(missing).toContainText(`POST ${handler.url()}`);
    await expect(missing.getByRole('button', { name: 'Copy as cURL' })).toBeEnabled();
  } finally {
    await handler.close();
  }
});

test('Check endpoint: a missing or wrong Target is said, and Esc closes the panel', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  await page.getByRole('button', { name: 'Check endpoint' }).click();
  const panel = page.getByRole('dialog', { name: 'Check endpoint' });
  await panel.getByRole('button', { name: 'Run' }).click();
  await expect(panel.getByRole('alert')).toHaveText('Give the URL of your webhook handler as Target, e.g. http://localhost:3000/webhooks/reviewsense.');
  await panel.getByLabel('Target').fill('localhost:3000/hooks');
  await panel.getByRole('button', { name: 'Run' }).click();
  await expect(panel.getByRole('alert')).toContainText('http:// or https://');
  await expect(panel.getByTestId('check-progress')).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(panel).toHaveCount(0);
});

test('Simulate retries: a handler that fails twice is delivered on the 3rd try, at instant speed', async ({ page, hooklens }) => {
  const handler = await startApp(answeringBy((_request, index) => (index < 2 ? 500 : 200)));
  try {
    const { id } = await hooklens.deliver('review.flagged');
    await page.goto(hooklens.uiUrl);
    await row(page, id).click();
    const detail = page.getByRole('region', { name: 'Delivery detail' });
    await detail.getByRole('button', { name: 'More actions' }).click();
    await detail.getByRole('menuitem', { name: 'Simulate retries…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Simulate retries' });
    await expect(dialog).toContainText("delivery #1's bytes");
    await dialog.getByLabel('Target').fill(handler.url());
    await dialog.getByLabel('Speed').selectOption({ label: 'instant (no waiting)' });
    await dialog.getByRole('button', { name: 'Start' }).click();
    const timeline = dialog.getByTestId('timeline');
    // Each try by the schedule's wait after the one before and its time since the first, never one read as the other.
    await expect(timeline.getByTestId('sim-outcome')).toHaveText(
      'Delivered on try 3 · 30 min after try 2 · 35 min after the first on the schedule, sent at once here: ReviewSense stops retrying here.',
    );
    await expect(timeline.getByTestId('sim-schedule-note')).toHaveText("Instant: the times after each try are ReviewSense's schedule, not waited here.");
    await expect(timeline.getByTestId('sim-try')).toHaveCount(3);
    await expect(timeline.getByTestId('sim-try').nth(0)).toContainText('try 1 · the first');
    await expect(timeline.getByTestId('sim-try').nth(0)).toContainText('500');
    await expect(timeline.getByTestId('sim-try').nth(1)).toContainText('try 2 · 5 min after the first');
    await expect(timeline.getByTestId('sim-try').nth(2)).toContainText('try 3 · 30 min after try 2 · 35 min after the first');
    await expect(timeline.getByTestId('sim-try').nth(2)).toContainText('200');
    await expect(timeline.getByTestId('sim-try').nth(2)).toContainText('would count as delivered');
    expect(handler.received).toHaveLength(3);

    // Injected faults are marked; the list keeps the earlier run.
    await dialog.getByLabel('Target').fill(handler.url());
    await dialog.getByLabel('Fault injection').selectOption('error');
    await dialog.getByLabel('Faulty tries').selectOption('2');
    await dialog.getByRole('button', { name: 'Start' }).click();
    await expect(timeline.getByTestId('sim-outcome')).toContainText('Delivered on try 3');
    await expect(timeline.locator('.badge.injected')).toHaveCount(2);
    await expect(dialog.getByRole('region', { name: 'Recent simulations' })).toContainText('delivered · 3 tries');
    await page.keyboard.press('Escape');
    await expect(dialog).toHaveCount(0);
  } finally {
    await handler.close();
  }
});

test('Simulate retries from the composer: a fresh event at 60×, the next try shown with its schedule time said to be simulated, then cancelled', async ({ page, hooklens }) => {
  const handler = await startApp(answeringBy(() => 503));
  try {
    await page.goto(hooklens.uiUrl);
    await page.getByRole('button', { name: 'Send test event' }).click();
    const composer = page.getByRole('dialog', { name: 'Send test event' });
    await composer.getByLabel('Event type').selectOption('quota.warning');
    await composer.getByLabel('Target').fill(handler.url());
    await composer.getByRole('button', { name: 'Simulate retries…' }).click();
    await expect(composer).toHaveCount(0);
    const dialog = page.getByRole('dialog', { name: 'Simulate retries' });
    await expect(dialog).toContainText('a fresh quota.warning event');
    await expect(dialog.getByLabel('Target')).toHaveValue(handler.url());
    await dialog.getByLabel('Speed').selectOption({ label: '60× (5 min takes 5 s)' });
    await dialog.getByRole('button', { name: 'Start' }).click();
    const timeline = dialog.getByTestId('timeline');
    await expect(timeline.getByTestId('sim-try')).toHaveCount(1);
    // The schedule's time, said to be simulated, and the real time it will take.
    await expect(timeline.getByTestId('sim-next')).toContainText(/^try 2 · 5 min after the firstnext try at .* \(in [1-5] s\)$/);
    await expect(timeline.getByTestId('sim-schedule-note')).toHaveText("Speed 60×: the times after each try are ReviewSense's schedule, simulated (its 5 min took 5 s here).");
    await timeline.getByRole('button', { name: 'Cancel' }).click();
    await expect(timeline.getByTestId('sim-outcome')).toHaveText('Cancelled after 1 try.');
    await expect(timeline.getByTestId('sim-next')).toHaveCount(0);
  } finally {
    await handler.close();
  }
});
