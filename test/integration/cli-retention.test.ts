import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../../src/main/profile/samples';
import { sign } from '../../src/main/profile/signature';
import { openStore } from '../../src/main/store/store';
import { runCliToEnd } from '../helpers/cli';
import { newDelivery } from '../helpers/deliveries';
import { post } from '../helpers/http';
import { useServeRuns } from '../helpers/serve-runs';

const SECRET = 'whsec_cli_retention';
const DAY = 24 * 60 * 60 * 1000;
const { dataDir, serve } = useServeRuns();

/** A data folder holding deliveries of events evt_seed_0…, received `ageDays[i]` days ago. */
async function seeded(ageDays: number[], saved?: unknown): Promise<string> {
  const dir = dataDir();
  const store = openStore(dir);
  for (const [index, age] of ageDays.entries()) await store.writeDelivery(newDelivery({ eventId: `evt_seed_${index}`, receivedAt: Date.now() - age * DAY }));
  if (saved !== undefined) store.settings.put('retention', saved);
  store.close();
  return dir;
}

function storedIds(dir: string): number[] {
  const db = new Database(`${dir}/hooklens.db`, { readonly: true });
  try {
    return db.prepare('SELECT id FROM deliveries ORDER BY id').pluck().all() as number[];
  } finally {
    db.close();
  }
}

const isPrune = (line: Record<string, unknown>) => line.event === 'prune';
const isReady = (line: Record<string, unknown>) => line.event === 'ready';

describe('hooklens serve --keep', () => {
  it('keeps the newest N deliveries, prints what it pruned, and a retry of a pruned event still gets its link and ordinal', async () => {
    const dir = await seeded([0, 0, 0, 0, 0, 0, 0, 0]);
    const run = serve(['--keep', '3', '--secret', SECRET, '--data-dir', dir]);

    expect(await run.waitFor(isPrune)).toEqual({ event: 'prune', policy: { kind: 'count', deliveries: 3 }, deleted: 5, keptQueued: 0, ms: expect.any(Number), error: null });
    const ready = await run.waitFor(isReady);
    expect(storedIds(dir)).toEqual([6, 7, 8]);
    await expect.poll(run.stderr).toContain('hooklens: kept the newest 3 deliveries: deleted 5 older deliveries in ');
    await expect.poll(run.stderr).toContain('hooklens: keeping the newest 3 deliveries (--keep).');

    // evt_seed_0's original (#1) was pruned; ReviewSense delivers it again.
    const body = JSON.stringify(sampleEvent('review.analysed', { id: 'evt_seed_0' }));
    expect((await post(ready.receiverUrl as string, body, { 'x-reviewsense-signature': sign(SECRET, body) })).status).toBe(200);
    expect(await run.waitFor((line) => line.event === 'delivery')).toMatchObject({ id: 9, eventId: 'evt_seed_0', duplicateOf: 1 });
    await expect.poll(run.stderr).toMatch(/#9 {2}review\.analysed {2}evt_seed_0 {2}✓ valid {2}2nd delivery, first #1/);
  });

  it('keeps the newest N days', async () => {
    const dir = await seeded([45, 31, 29, 0]);
    const run = serve(['--keep', '30d', '--data-dir', dir]);
    expect(await run.waitFor(isPrune)).toMatchObject({ policy: { kind: 'age', days: 30 }, deleted: 2 });
    await run.waitFor(isReady);
    expect(storedIds(dir)).toEqual([3, 4]);
  });

  it('applies the policy saved in Settings → Data; --keep overrides it for the run without saving', async () => {
    const dir = await seeded([0, 0, 0, 0], { kind: 'count', deliveries: 3 });

    const overridden = serve(['--keep', 'all', '--data-dir', dir]);
    await overridden.waitFor(isReady);
    overridden.proc.kill('SIGTERM');
    expect((await overridden.exited).code).toBe(0);
    expect(overridden.lines.some(isPrune)).toBe(false);
    expect(overridden.stderr()).not.toContain('hooklens: keeping');
    expect(storedIds(dir)).toEqual([1, 2, 3, 4]);

    const saved = serve(['--data-dir', dir]);
    expect(await saved.waitFor(isPrune)).toMatchObject({ policy: { kind: 'count', deliveries: 3 }, deleted: 1 });
    await saved.waitFor(isReady);
    await expect.poll(saved.stderr).toContain('hooklens: keeping the newest 3 deliveries (saved in Settings → Data; --keep all keeps everything for a run).');
    expect(storedIds(dir)).toEqual([2, 3, 4]);
  });

  it.each([
    ['0', '--keep must keep from 1 to 1000000000 deliveries, got 0. To keep everything: --keep all.'],
    ['0d', '--keep must keep from 1 to 36500 days, got 0d. To keep everything: --keep all.'],
    ['30x', '--keep takes a number of days (30d), weeks (4w), a number of deliveries (100000), or all; got "30x".'],
    ['1.5d', '--keep takes a number of days (30d), weeks (4w), a number of deliveries (100000), or all; got "1.5d".'],
    ['-3', "Option '--keep' argument is ambiguous."],
  ])('refuses --keep %s in one line, exit 2', async (value, message) => {
    const { code, stderr } = await runCliToEnd(['serve', '--no-ui', '--keep', value, '--data-dir', dataDir()]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(message);
  });

  it('explains --keep in the help', async () => {
    const { code, lines } = await runCliToEnd(['serve', '--help']);
    expect(code).toBe(0);
    const help = lines.map((line) => line.unparsed).join('\n');
    expect(help).toContain('--keep 30d|4w|N|all');
    expect(help).toContain('it overrides the policy saved in Settings → Data (default: all)');
  });
});
