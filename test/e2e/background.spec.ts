import { join, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from './fixtures';

test('background work that fails is said once, in the status bar and on stderr, and clears when it works again', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  const ready = hooklens.run.lines.find((line) => line.event === 'ready') as { db: string };
  await hooklens.deliver('review.analysed');
  // Another process takes the write lock before the delivery is indexed for search (within 250 ms).
  const other = new Database(join(dirname(ready.db), 'hooklens.db'));
  other.exec('BEGIN IMMEDIATE');
  try {
    const problem = page.getByTestId('background-problems');
    await expect(problem).toContainText('search indexing failed: database is locked');
    await expect(problem).toContainText('trying again at');
    await expect.poll(() => hooklens.run.stderr()).toMatch(/hooklens: search indexing failed: database is locked \(trying again in \d+ s\)/);
  } finally {
    other.exec('ROLLBACK');
    other.close();
  }
  await expect(page.getByTestId('background-problems')).toHaveCount(0, { timeout: 10_000 });
  await expect.poll(() => hooklens.run.stderr()).toMatch(/hooklens: search indexing works again\./);
  expect(hooklens.run.stderr().match(/search indexing failed/g)).toHaveLength(1);
});
