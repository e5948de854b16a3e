import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { createControlServer } from '../../src/main/browser-shell/control-server';
import { Inspector } from '../../src/main/inspector/inspector';
import { createNgrokTunnel } from '../../src/main/tunnel/ngrok-tunnel';
import { NO_TOKEN } from '../../src/main/tunnel/ngrok-errors';
import type { TunnelFactory } from '../../src/main/tunnel/tunnel';
import { fakeTunnelProvider } from '../helpers/fake-tunnel';
import { tempDir } from '../helpers/temp-dir';

// The browser shell served in-process, so the tunnel provider can be the fake that drives every
// state (ngrok's service cannot be reached from here) or the real SDK for its error paths.
const test = base.extend<{ shell: (factory: TunnelFactory) => Promise<{ uiUrl: string; inspector: Inspector }> }>({
  shell: async ({}, use) => {
    const cleanups: (() => Promise<void>)[] = [];
    await use(async (factory) => {
      const dir = tempDir('hooklens-e2e-tunnel-');
      const inspector = new Inspector({ dataDir: dir.path, receiver: { port: 0 } }, { tunnelFactory: factory });
      await inspector.start();
      const control = createControlServer({ inspector, rendererDir: join(__dirname, '..', '..', 'out', 'renderer') });
      const uiUrl = await control.listen(0);
      cleanups.push(async () => {
        await control.close();
        await inspector.stop();
        dir.cleanup();
      });
      return { uiUrl, inspector };
    });
    for (const cleanup of cleanups) await cleanup();
  },
});

test('the status bar follows the tunnel: connecting, online with the webhook URL, reconnecting, stopped', async ({ page, context, shell }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const provider = fakeTunnelProvider();
  const { uiUrl, inspector } = await shell(provider.factory);
  await page.goto(uiUrl);
  const bar = page.getByRole('contentinfo', { name: 'Status' });
  await expect(bar.getByTestId('tunnel-state')).toHaveText('Tunnel off');

  await bar.getByRole('button', { name: 'Start tunnel' }).click();
  await expect(bar.getByTestId('tunnel-state')).toHaveText('Connecting…');
  const attempt = await provider.nextAttempt(0);
  expect(attempt.target.port).toBe(inspector.receiverPort);
  attempt.online('https://fake-1.ngrok.app');
  await expect(bar.getByTestId('tunnel-state')).toHaveText('Tunnel online');
  await expect(bar.getByTestId('webhook-url')).toHaveText('https://fake-1.ngrok.app/hooks/reviewsense');
  await bar.getByRole('button', { name: 'Copy webhook URL' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe('https://fake-1.ngrok.app/hooks/reviewsense');
  await expect(page.getByRole('region', { name: 'Getting started' }).locator('.guide-url')).toContainText('https://fake-1.ngrok.app/hooks/reviewsense');

  attempt.report({ state: 'reconnecting', url: 'https://fake-1.ngrok.app', message: 'Connection to ngrok lost, reconnecting…' });
  await expect(bar.getByTestId('tunnel-state')).toHaveText('Reconnecting…');
  attempt.report({ state: 'online', url: 'https://fake-1.ngrok.app', message: null });
  await expect(bar.getByTestId('tunnel-state')).toHaveText('Tunnel online');

  await bar.getByRole('button', { name: 'Stop' }).click();
  await expect(bar.getByTestId('tunnel-state')).toHaveText('Tunnel off');
  expect(attempt.stopped).toBe(true);

  // A new public URL: the dashboard endpoint must be updated, and the app says so.
  await bar.getByRole('button', { name: 'Start tunnel' }).click();
  (await provider.nextAttempt(1)).online('https://fake-2.ngrok.app');
  await expect(page.getByTestId('tunnel-notice')).toContainText('The webhook URL changed (it was https://fake-1.ngrok.app/hooks/reviewsense)');
});

test('a tunnel failure is a sentence in the status bar; Stop works during a hung connect', async ({ page, shell }) => {
  const provider = fakeTunnelProvider();
  const { uiUrl } = await shell(provider.factory);
  await page.goto(uiUrl);
  const bar = page.getByRole('contentinfo', { name: 'Status' });
  await bar.getByRole('button', { name: 'Start tunnel' }).click();
  (await provider.nextAttempt(0)).fail('Your ngrok account is already running its maximum number of agent sessions.');
  await expect(bar.getByTestId('tunnel-state')).toHaveText('Tunnel error');
  await expect(bar.getByTestId('tunnel-message')).toHaveText('Your ngrok account is already running its maximum number of agent sessions.');

  await bar.getByRole('button', { name: 'Start tunnel' }).click();
  const hung = await provider.nextAttempt(1);
  await expect(bar.getByTestId('tunnel-state')).toHaveText('Connecting…');
  await bar.getByRole('button', { name: 'Stop' }).click();
  await expect(bar.getByTestId('tunnel-state')).toHaveText('Tunnel off');
  expect(hung.stopped).toBe(true);
});

test('with the real SDK and no token: the guide says where to get one, and a saved token is never shown', async ({ page, shell }) => {
  const { uiUrl, inspector } = await shell(createNgrokTunnel);
  await page.goto(uiUrl);
  const guide = page.getByRole('region', { name: 'Getting started' });
  await guide.getByRole('button', { name: 'Start tunnel' }).click();
  await expect(guide.locator('.error-text').first()).toHaveText(NO_TOKEN);
  await expect(page.getByTestId('tunnel-message')).toHaveText(NO_TOKEN);

  await guide.getByLabel('ngrok authtoken').fill('tok_never_shown');
  await guide.getByRole('button', { name: 'Save token' }).click();
  await expect(guide.getByLabel('ngrok authtoken')).toHaveCount(0);
  expect(inspector.getTunnelSettings().tokenSource).toBe('saved');
  await page.getByRole('button', { name: 'Settings' }).click();
  const settings = page.getByRole('dialog', { name: 'Settings' });
  await expect(settings).toContainText('An authtoken is saved');
  expect(await page.content()).not.toContain('tok_never_shown');
});
