/**
 * Renders build/icon.svg to build/icon.png (1024×1024, transparent corners) in Debian's Chromium.
 * electron-builder turns that PNG into the .icns (macOS), the .ico (Windows) and the Linux icons.
 * Run with `node --import tsx scripts/packaging/icon.ts` after editing the SVG; the PNG is committed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../playwright.config';

const BUILD = join(__dirname, '..', '..', 'build');
const SIZE = 1024;

async function main(): Promise<void> {
  const svg = readFileSync(join(BUILD, 'icon.svg'), 'utf8');
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
    await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
    await page.locator('svg').screenshot({ path: join(BUILD, 'icon.png'), omitBackground: true });
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
