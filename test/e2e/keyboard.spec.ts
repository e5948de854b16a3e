import type { Locator, Page } from '@playwright/test';
import { expect, SECRET, test } from './fixtures';
import { startApp, verifyingWith } from '../helpers/app-server';

/** Presses Tab until `target` has focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 60): Promise<void> {
  for (let press = 0; press < max; press += 1) {
    if (await target.evaluate((element) => element === document.activeElement || element.contains(document.activeElement))) return;
    await page.keyboard.press('Tab');
  }
  await expect(target).toBeFocused();
}

const focusInside = (scope: Locator) => scope.evaluate((element) => element.contains(document.activeElement));

/**
 * The focused element, described, when no ring shows where focus is (else null). A ring is an
 * outline of at least 2 px on the element, or on the row a grid names as its active descendant;
 * the JSON editor's is on its host, which holds focus for the editor inside it.
 */
function missingRing(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const ringed = (element: Element | null) => {
      if (!element) return false;
      const style = getComputedStyle(element);
      return style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2;
    };
    const focused = document.activeElement;
    if (!focused || focused === document.body) return 'nothing has focus';
    const active = focused.getAttribute('aria-activedescendant');
    if (ringed(focused) || (active !== null && ringed(document.getElementById(active)))) return null;
    return `<${focused.tagName.toLowerCase()} class="${focused.getAttribute('class') ?? ''}"> ${(focused.textContent ?? '').slice(0, 40)}`;
  });
}

/**
 * A drawer open: focus is in it; Tab goes round inside it (back to its Close button, the first
 * stop) and Shift+Tab from there goes to its last stop, never out; Esc closes it and focus goes
 * back to `opener`.
 */
async function expectFocusKept(page: Page, drawer: Locator, opener: Locator) {
  await expect(drawer).toBeVisible();
  expect(await focusInside(drawer)).toBe(true);
  const close = drawer.getByRole('button', { name: 'Close', exact: true });
  let presses = 0;
  while (!(await close.evaluate((element) => element === document.activeElement))) {
    await page.keyboard.press('Tab');
    expect(await focusInside(drawer), `Tab ${++presses} stays in the drawer`).toBe(true);
    expect(await missingRing(page)).toBeNull();
    expect(presses).toBeLessThan(80);
  }
  expect(presses).toBeGreaterThan(1);
  await page.keyboard.press('Shift+Tab');
  expect(await focusInside(drawer)).toBe(true);
  await expect(close).not.toBeFocused();
  await page.keyboard.press('Escape');
  await expect(drawer).toBeHidden();
  await expect(opener).toBeFocused();
}

test.describe('with a secret', () => {
  test.use({ serveArgs: ['--secret', SECRET] });

  test('every Tab stop of the main screen shows a focus ring, and every action there is one of them', async ({ page, hooklens }) => {
    const { id } = await hooklens.deliver('review.analysed');
    await hooklens.deliver('review.analysed', { id });
    await page.goto(hooklens.uiUrl);
    await page.locator('.feed-row').first().click();
    await page.getByRole('region', { name: 'Delivery detail' }).getByRole('tree').waitFor();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    // Round the page once: from the search field to the last stop.
    const search = page.getByLabel('Search payloads');
    await tabTo(page, search);
    const stops: string[] = [];
    for (let press = 0; press < 80; press += 1) {
      await page.keyboard.press('Tab');
      // Past the last stop focus leaves the page (to the browser), then comes back to the first.
      if (await page.evaluate(() => document.activeElement === document.body)) break;
      expect(await missingRing(page), `stop ${press + 1}`).toBeNull();
      stops.push(
        await page.evaluate(() => {
          const focused = document.activeElement as HTMLElement;
          return focused.getAttribute('aria-label') ?? focused.getAttribute('role') ?? (focused.textContent ?? '').trim();
        }),
      );
    }
    for (const action of ['Type', 'Signature', 'Duplicates', 'Time range', 'Send test event', 'Check endpoint', 'Settings', 'Deliveries', 'Replay ▾', 'Copy as cURL', 'Delete', 'More actions', 'tab', 'tabpanel', 'Raw', 'Copy body', 'treeitem', 'Copy', 'Start tunnel']) {
      expect(stops, action).toContain(action);
    }
    // The grid and the tree are one stop each, and the tabs one for all six.
    expect(stops.filter((stop) => stop === 'tab')).toHaveLength(1);
    expect(stops.filter((stop) => stop === 'Deliveries')).toHaveLength(1);
    expect(stops.filter((stop) => stop === 'treeitem')).toHaveLength(1);
  });

  test('every drawer takes focus, keeps Tab and Shift+Tab inside, closes on Esc and gives focus back', async ({ page, hooklens }) => {
    const { id } = await hooklens.deliver('review.analysed');
    await hooklens.deliver('review.analysed', { id });
    await page.goto(hooklens.uiUrl);
    const grid = page.getByRole('grid', { name: 'Deliveries' });
    const detail = page.getByRole('region', { name: 'Delivery detail' });

    const settings = page.getByRole('button', { name: 'Settings' });
    await tabTo(page, settings);
    await page.keyboard.press('Enter');
    await expectFocusKept(page, page.getByRole('dialog', { name: 'Settings' }), settings);

    // Opened for one section from the status bar: focus goes to that section's first field.
    const forwarding = page.getByTestId('forwarding-status');
    await tabTo(page, forwarding);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Settings' }).locator('#settings-forwarding').getByLabel('Target')).toBeFocused();
    await expectFocusKept(page, page.getByRole('dialog', { name: 'Settings' }), forwarding);

    const check = page.getByRole('button', { name: 'Check endpoint' });
    await tabTo(page, check);
    await page.keyboard.press('Enter');
    await expect(page.getByRole('dialog', { name: 'Check endpoint' }).getByLabel('Target')).toBeFocused();
    await expectFocusKept(page, page.getByRole('dialog', { name: 'Check endpoint' }), check);

    // n from the feed: the composer, its first field focused; Esc gives focus back to the feed.
    await tabTo(page, grid);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('n');
    const composer = page.getByRole('dialog', { name: 'Send test event' });
    await expect(composer.getByLabel('Event type')).toBeFocused();
    await expect(composer.locator('.cm-content')).toBeVisible();
    await expectFocusKept(page, composer, grid);

    // The ⋯ menu: its items by ↑/↓, each drawer it opens gives focus back to ⋯.
    const more = detail.getByRole('button', { name: 'More actions' });
    await tabTo(page, more);
    await page.keyboard.press('Enter');
    const menu = detail.getByRole('menu', { name: 'More actions' });
    await expect(menu.getByRole('menuitem', { name: 'Simulate retries…' })).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(menu.getByRole('menuitem', { name: 'Export everything shown…' })).toBeFocused();
    await page.keyboard.press('Home');
    await page.keyboard.press('Enter');
    await expect(menu).toBeHidden();
    await expectFocusKept(page, page.getByRole('dialog', { name: 'Simulate retries' }), more);
    await page.keyboard.press('Enter');
    await page.keyboard.press('End');
    await expect(menu.getByRole('menuitem', { name: 'Export everything shown…' })).toBeFocused();
    await page.keyboard.press('ArrowUp');
    await expect(menu.getByRole('menuitem', { name: 'Export this delivery…' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expectFocusKept(page, page.getByRole('dialog', { name: 'Export' }), more);
    // Tab leaves the menu, and so closes it.
    await page.keyboard.press('Enter');
    await expect(menu).toBeVisible();
    await page.keyboard.press('Tab');
    await expect(menu).toBeHidden();

    // Edit and replay, from Replay ▾: the composer gives focus back to Replay ▾.
    const replay = detail.getByRole('button', { name: 'Replay ▾', exact: true });
    await tabTo(page, replay);
    await page.keyboard.press('Enter');
    await expect(detail.getByLabel('Target')).toBeFocused();
    await tabTo(page, detail.getByRole('button', { name: 'Edit and replay…' }));
    await page.keyboard.press('Enter');
    const replayComposer = page.getByRole('dialog', { name: 'Send test event' });
    await expect(replayComposer.getByRole('textbox', { name: 'Event JSON' })).toBeFocused();
    await expectFocusKept(page, replayComposer, replay);
  });
});


test('a shortcut pressed the moment the first rows show is not lost', async ({ page, hooklens }) => {
  await hooklens.deliver('review.analysed');
  // n, dispatched as the first row enters the DOM (in the microtask after the commit that adds
  // it), before the frame that paints it: as early as anyone could press it.
  await page.addInitScript(() => {
    const observer = new MutationObserver(() => {
      if (!document.querySelector('.feed-row')) return;
      observer.disconnect();
      document.body.dispatchEvent(new KeyboardEvent('keydown', { key: 'n', bubbles: true, cancelable: true }));
    });
    observer.observe(document, { childList: true, subtree: true });
  });
  await page.goto(hooklens.uiUrl);
  await expect(page.getByRole('dialog', { name: 'Send test event' })).toBeVisible();
});

test('the whole main flow from the keyboard alone: a secret, a test event, a delivery received and opened, replayed, a forgery, a check', async ({ page, hooklens }) => {
  // Any use of a pointer fails the test: no press, no wheel, no click that did not come from a key.
  await page.addInitScript(() => {
    const used: string[] = [];
    (window as unknown as { __pointer: string[] }).__pointer = used;
    for (const type of ['pointerdown', 'mousedown', 'wheel']) window.addEventListener(type, () => used.push(type), true);
    window.addEventListener('click', (event) => event.detail > 0 && used.push('click'), true);
  });
  const app = await startApp(verifyingWith(SECRET));
  try {
    await page.goto(hooklens.uiUrl);
    await expect(page.getByText('Receive your first ReviewSense webhook')).toBeVisible();

    // The signing secret, in Settings.
    const settingsButton = page.getByRole('button', { name: 'Settings' });
    await tabTo(page, settingsButton);
    await page.keyboard.press('Enter');
    const settings = page.getByRole('dialog', { name: 'Settings' });
    await expect(settings.getByLabel('New secret label')).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(settings.getByLabel('New secret value')).toBeFocused();
    await page.keyboard.type(SECRET);
    await page.keyboard.press('Enter');
    await expect(settings.getByRole('textbox', { name: 'Secret label', exact: true })).toHaveValue('current');
    await page.keyboard.press('Escape');
    await expect(settingsButton).toBeFocused();

    // A test event to Hooklens itself: n, a type chosen with the arrows, Ctrl+Enter.
    await page.keyboard.press('n');
    const composer = page.getByRole('dialog', { name: 'Send test event' });
    const type = composer.getByLabel('Event type');
    await expect(type).toBeFocused();
    await page.keyboard.press('ArrowDown');
    await expect(type).toHaveValue('review.flagged');
    await expect(composer.locator('.cm-content')).toContainText('"type": "review.flagged"');
    await page.keyboard.press('Control+Enter');
    await expect(composer.getByTestId('verdict')).toHaveText('✓ would count as delivered');
    await page.keyboard.press('Escape');
    await expect(composer).toBeHidden();
    await expect(settingsButton).toBeFocused();

    // A delivery from ReviewSense; a screen reader hears of it (with the test event, when both came within 5 s).
    const received = await hooklens.deliver('review.analysed');
    await expect(page.getByTestId('announcements')).toHaveText(/^(New delivery: review\.analysed, signature valid\.|2 new deliveries: 2 valid\.)$/);

    // Opened from the feed: the grid, ↓ to the newest, Enter to its detail.
    const grid = page.getByRole('grid', { name: 'Deliveries' });
    await tabTo(page, grid);
    await page.keyboard.press('ArrowDown');
    const detail = page.getByRole('region', { name: 'Delivery detail' });
    await expect(detail.getByRole('heading', { level: 2 })).toContainText(received.id);
    await page.keyboard.press('Enter');
    await expect(detail).toBeFocused();

    // Replayed to the app as captured: Replay ▾, the Target, the button; the answer in a toast, then in Attempts.
    const replay = detail.getByRole('button', { name: 'Replay ▾', exact: true });
    await tabTo(page, replay);
    await page.keyboard.press('Enter');
    await expect(detail.getByLabel('Target')).toBeFocused();
    await page.keyboard.type(app.url());
    await page.keyboard.press('Tab');
    await expect(detail.getByRole('button', { name: 'Replay as captured' })).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('toast')).toContainText('would count as delivered');
    await expect(replay).toBeFocused();
    await tabTo(page, detail.getByRole('tab', { name: /Payload/ }));
    for (let press = 0; press < 4; press += 1) await page.keyboard.press('ArrowRight');
    const attempts = detail.getByRole('tabpanel', { name: /Attempts/ });
    await expect(detail.getByRole('tab', { name: /Attempts/ })).toBeFocused();
    await tabTo(page, attempts.locator('summary').first());
    await page.keyboard.press('Enter');
    await expect(attempts.locator('details.attempt[open]')).toContainText('ReviewSense would count as delivered.');
    expect(app.received).toHaveLength(1);

    // A forgery: the composer, the app as Target, Signature → invalid with the arrows; a correct handler refuses it.
    await page.keyboard.press('n');
    await tabTo(page, composer.getByLabel('Target'));
    await page.keyboard.type(app.url());
    await tabTo(page, composer.getByLabel('Signature'));
    await page.keyboard.press('ArrowDown');
    await expect(composer.getByLabel('Signature')).toHaveValue('invalid');
    await page.keyboard.press('Control+Enter');
    await expect(composer.getByTestId('verdict')).toHaveText('✓ rightly refused (answered 401)');
    await page.keyboard.press('Escape');

    // Check endpoint: the Target, Enter runs it; every probe passes.
    const checkButton = page.getByRole('button', { name: 'Check endpoint' });
    await tabTo(page, checkButton);
    await page.keyboard.press('Enter');
    const check = page.getByRole('dialog', { name: 'Check endpoint' });
    await expect(check.getByLabel('Target')).toBeFocused();
    await page.keyboard.type(app.url());
    await page.keyboard.press('Enter');
    await expect(check.getByTestId('check-verdict')).toContainText('All 17 probes passed');
    await page.keyboard.press('Escape');
    await expect(checkButton).toBeFocused();

    expect(await page.evaluate(() => (window as unknown as { __pointer: string[] }).__pointer)).toEqual([]);
  } finally {
    await app.close();
  }
});
