import type { Page } from '@playwright/test';

/** Collects Content-Security-Policy violations (a refused style or script) and uncaught page errors. */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
  return violations;
}

/** The text in the composer's editor (CodeMirror draws one element per line). */
export async function editorText(page: Page): Promise<string> {
  return page.getByRole('dialog', { name: 'Send test event' }).locator('.cm-content').innerText();
}
