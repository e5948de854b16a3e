/** Brings up one screen of the app each, ready for a screenshot; the same at every window size. */
import type { Page } from 'playwright-core';

const detail = (page: Page) => page.getByRole('region', { name: 'Delivery detail' });

/** Out of the way of the screenshot: no hover, no focus ring on what was clicked last. */
async function settle(page: Page): Promise<void> {
  await page.mouse.move(0, 0);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
}

/** The feed with a delivery's payload open. */
export async function showFeed(page: Page): Promise<void> {
  await page.locator('.feed-row', { hasText: 'review.analysed' }).last().click();
  await detail(page).getByRole('tab', { name: /Payload/ }).click();
  await detail(page).locator('.json-tree').waitFor();
  await settle(page);
}

/** A delivery whose body gained a newline after signing: its Signature tab and the diagnosis. */
export async function showSignature(page: Page): Promise<void> {
  await page.locator('.feed-row', { hasText: 'review.flagged' }).first().click();
  await detail(page).getByRole('tab', { name: /Signature/ }).click();
  await detail(page).locator('.diagnosis').waitFor();
  await settle(page);
}

/** Edit and replay of a delivery to "your app": the answer in the composer, the toast beside it. */
export async function showComposerReplay(page: Page, appUrl: string): Promise<void> {
  await page.locator('.feed-row', { hasText: 'review.analysed' }).last().click();
  await detail(page).getByRole('tablist').waitFor();
  await page.keyboard.press('e');
  const composer = page.getByRole('dialog', { name: 'Send test event' });
  await composer.locator('.cm-content').waitFor();
  await composer.getByLabel('Target').fill(appUrl);
  await composer.getByRole('button', { name: 'Send replay' }).click();
  await composer.getByTestId('composer-answer').getByText('would count as delivered').waitFor();
  await page.getByTestId('toast').waitFor();
  await settle(page);
}

/** ReviewSense's retry schedule against an app that recovers on the 3rd try, at instant speed. */
export async function showSimulation(page: Page, appUrl: string): Promise<void> {
  await page.locator('.feed-row', { hasText: 'review.flagged' }).last().click();
  await detail(page).getByRole('button', { name: 'More actions' }).click();
  await detail(page).getByRole('menuitem', { name: 'Simulate retries…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Simulate retries' });
  await dialog.getByLabel('Target').fill(appUrl);
  await dialog.getByLabel('Speed').selectOption({ label: 'instant (no waiting)' });
  await dialog.getByRole('button', { name: 'Start' }).click();
  await dialog.getByTestId('sim-outcome').getByText('Delivered on try 3').waitFor();
  await settle(page);
}

/** A retry beside its original: the JSON changes by path and the headers side by side. */
export async function showDiff(page: Page): Promise<void> {
  await page.locator('.feed-row', { hasText: '2nd' }).first().click();
  await page.keyboard.press('c');
  await detail(page).getByTestId('header-diff').waitFor();
  await settle(page);
}

/** Check endpoint's report on a handler at `url`, its first failing probe open. */
export async function showCheck(page: Page, url: string): Promise<void> {
  await page.getByRole('button', { name: 'Check endpoint' }).click();
  const panel = page.getByRole('dialog', { name: 'Check endpoint' });
  await panel.getByLabel('Target').fill(url);
  await panel.getByRole('button', { name: 'Run' }).click();
  await panel.getByTestId('check-verdict').waitFor();
  await panel.locator('details.probe[open] .advice').first().waitFor();
  await settle(page);
}

/** Esc until no drawer or comparison is open (each Esc closes one thing), and the toast dismissed. */
export async function closeAll(page: Page): Promise<void> {
  for (let press = 0; press < 3; press += 1) await page.keyboard.press('Escape');
  const toast = page.getByTestId('toast');
  if (await toast.isVisible()) await toast.getByRole('button', { name: 'Dismiss' }).click();
}
