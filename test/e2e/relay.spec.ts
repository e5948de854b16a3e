import { sign } from '../../src/main/profile/signature';
import { runCli, runCliToEnd, type ServeProcess } from '../helpers/cli';
import { post } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';
import { expect, row, SECRET, test } from './fixtures';
import { childLines, clipped, overflowsSideways, overlappingChildren } from './layout-facts';

/** The team's relay: a real `hooklens relay` with one token. */
async function startRelay() {
  const dir = tempDir('hooklens-e2e-relay-');
  const added = await runCliToEnd(['relay', 'token', 'add', 'dev', '--data-dir', dir.path]);
  const token = String(added.lines.at(-1)?.unparsed ?? '');
  const run: ServeProcess = runCli(['relay', '--json', '--port', '0', '--data-dir', dir.path]);
  const ready = await run.waitFor((line) => line.event === 'ready');
  return {
    dir: dir.path,
    token,
    receiverUrl: ready.receiverUrl as string,
    address: new URL(ready.receiverUrl as string).origin,
    async stop() {
      run.proc.kill('SIGTERM');
      await run.exited;
      dir.cleanup();
    },
  };
}

test.use({ serveArgs: ['--secret', SECRET] });

test('Settings → Team relay: follow it with a token that is never shown again; the status bar says connected, then refused', async ({ page, hooklens }) => {
  const relay = await startRelay();
  try {
    await page.goto(hooklens.uiUrl);
    await page.getByRole('button', { name: 'Settings' }).click();
    const settings = page.getByRole('dialog', { name: 'Settings' });
    const section = settings.getByRole('region', { name: 'Team relay' });
    await section.getByLabel('Relay URL').fill(relay.address);
    await section.getByLabel('Relay token').fill(relay.token);
    await section.getByRole('button', { name: 'Follow relay' }).click();

    const status = page.getByTestId('relay-status');
    await expect(status).toHaveText('Relay: connected');
    await expect(section.getByLabel('Relay token')).toHaveValue('');
    await expect(section.getByLabel('Relay URL')).toHaveValue(`${relay.address}/relay/v1/stream`);
    await expect(section.getByTestId('relay-settings-state')).toContainText('A token is saved (encrypted; it is never shown again).');
    expect(await page.content()).not.toContain(relay.token);

    // ReviewSense delivers to the relay; the row appears here, verified with this Hooklens's secret.
    const body = '{"id":"evt_via_team_relay","type":"review.flagged","created_at":"2026-04-24T14:30:00Z","api_version":"v1","data":{}}';
    expect((await post(relay.receiverUrl, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, body) })).status).toBe(200);
    await expect(row(page, 'evt_via_team_relay').locator('.badge')).toHaveText('✓ valid');

    expect((await runCliToEnd(['relay', 'token', 'revoke', 'dev', '--data-dir', relay.dir])).code).toBe(0);
    await expect(status).toHaveText('Relay: refused');
    await expect(page.getByTestId('relay-message')).toHaveText('The token "dev" was revoked on this relay.');
    await status.click();
    await expect(section.getByRole('alert')).toHaveText('The token "dev" was revoked on this relay.');

    // Its reason gives way in a narrow window: the status bar stays one line, nothing drawn over another.
    await page.keyboard.press('Escape');
    await page.setViewportSize({ width: 1024, height: 700 });
    const bar = page.getByRole('contentinfo', { name: 'Status' });
    expect(await childLines(bar)).toBe(1);
    expect(await overflowsSideways(bar)).toBe(false);
    expect(await overlappingChildren(bar)).toEqual([]);
    expect(await clipped(bar, 'button:not(.status-link), .dot')).toEqual([]);
  } finally {
    await relay.stop();
  }
});

test('the status bar says reconnecting, and why, while the relay is away', async ({ page, hooklens }) => {
  const relay = await startRelay();
  try {
    await page.goto(hooklens.uiUrl);
    await page.getByRole('button', { name: 'Settings' }).click();
    const section = page.getByRole('dialog', { name: 'Settings' }).getByRole('region', { name: 'Team relay' });
    await section.getByLabel('Relay URL').fill(relay.address);
    await section.getByLabel('Relay token').fill(relay.token);
    await section.getByRole('button', { name: 'Follow relay' }).click();
    const status = page.getByTestId('relay-status');
    await expect(status).toHaveText('Relay: connected');
    await relay.stop();
    await expect(status).toHaveText('Relay: reconnecting…');
    await expect(page.getByTestId('relay-message')).toContainText('Trying again in');
  } finally {
    await relay.stop().catch(() => undefined);
  }
});
