import { join, dirname } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from './fixtures';

test('background work that fails is said once, in the status bar and on stderr, and clears when it works again', async ({ page, hooklens }) => {
  await page.goto(hooklens.uiUrl);
  const ready = hooklens.run.lines.find((line) => line.event === 'ready') as { db: string };
  // Another process takes the write lock while a delivery still waits to be indexed for search
  // (the indexer runs within 250 ms, so on a busy machine it may win: then deliver another and try again).
  const other = new Database(join(dirname(ready.db), 'hooklens.db'));
  const waitingToBeIndexed = other.prepare('SELECT EXISTS (SELECT 1 FROM deliveries WHERE id > (SELECT indexed_through FROM search_index_state))').pluck();
  for (;;) {
    await hooklens.deliver('review.analysed');
    other.exec('BEGIN IMMEDIATE');
    if (waitingToBeIndexed.get() === 1) break;
    other.exec('ROLLBACK');
  }
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
