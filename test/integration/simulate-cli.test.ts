// `hooklens simulate`, the built CLI (out/main/cli.js: build first with `npx electron-vite build`):
// attempt lines and outcome, what it keeps in the database, Ctrl+C, --fail-first and bad usage.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runCli, runCliToEnd } from '../helpers/cli';
import { handlers } from '../helpers/handlers';
import { tempDir } from '../helpers/temp-dir';
import { expectSameSignedEvent, simulationScope } from './simulate/harness';

const CLI_SECRET = 'whsec_simulate_cli_secret';

const { handler, cleanups } = simulationScope();

describe('hooklens simulate (the built CLI)', () => {
  function dataDir(): string {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    return dir.path;
  }
  const attemptLines = (lines: Record<string, unknown>[]) => lines.filter((line) => line.event === 'attempt');

  it('--instant against a handler failing twice: three attempt lines, then delivered, exit 0', async () => {
    const app = await handler(handlers.failsFirst(2, CLI_SECRET));
    const dir = dataDir();
    const run = await runCliToEnd(['simulate', 'review.analysed', '--to', app.url, '--secret', CLI_SECRET, '--instant', '--json', '--data-dir', dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines.at(-1)).toEqual({ event: 'simulation', outcome: 'delivered', attempts: 3 });
    expect(run.lines.slice(0, -1)).toEqual(
      [500, 500, 200].map((status) => ({ event: 'attempt', kind: 'simulate', target: app.url, deliveryId: null, status, ms: expect.any(Number), error: null, delivered: status === 200, queued: false, expect: 'accept', ok: status === 200 })),
    );
    expect(run.stderr).toMatch(/delivered on try 3 of 6/);
    expect(app.requests).toHaveLength(3);
    expectSameSignedEvent(app, CLI_SECRET);

    // Kept in the database.
    const db = new Database(join(dir, 'hooklens.db'), { readonly: true });
    try {
      const simulation = db.prepare('SELECT id, state, tries, speed, next_try_at FROM simulations').all() as { id: number; state: string; tries: number; speed: number; next_try_at: number | null }[];
      expect(simulation).toEqual([{ id: expect.any(Number), state: 'delivered', tries: 3, speed: 0, next_try_at: null }]);
      const attempts = db.prepare('SELECT status, delivered, kind FROM attempts WHERE simulation_id = ? ORDER BY id').all(simulation[0]?.id) as { status: number; delivered: number; kind: string }[];
      expect(attempts).toEqual([
        { status: 500, delivered: 0, kind: 'simulate' },
        { status: 500, delivered: 0, kind: 'simulate' },
        { status: 200, delivered: 1, kind: 'simulate' },
      ]);
    } finally {
      db.close();
    }
  });

  it('--speed 1000000 against an always-500 handler: inactive after 6 attempts, exit 1', async () => {
    const app = await handler(handlers.always(500, CLI_SECRET));
    // 1 000 000 is the CLI's ceiling (--speed 3600000 is bad usage, below): 24 h → 86 ms.
    const run = await runCliToEnd(['simulate', 'review.analysed', '--to', app.url, '--secret', CLI_SECRET, '--speed', '1000000', '--json', '--data-dir', dataDir()]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.lines.at(-1)).toEqual({ event: 'simulation', outcome: 'inactive', attempts: 6 });
    const attempts = attemptLines(run.lines);
    expect(attempts).toHaveLength(6);
    expect(attempts.every((line) => line.status === 500 && line.delivered === false)).toBe(true);
    expect(run.stderr).toMatch(/all 6 tries failed/);
    expect(app.requests).toHaveLength(6);
  });

  it('Ctrl+C after the first try says it stopped after 1 try, and exits 1', async () => {
    const app = await handler(handlers.always(500, CLI_SECRET));
    // Real time: the first retry is 5 minutes away, so the run is waiting when it is stopped.
    const run = runCli(['simulate', 'review.analysed', '--to', app.url, '--secret', CLI_SECRET, '--json', '--data-dir', dataDir()]);
    cleanups.push(() => {
      if (run.proc.exitCode === null && run.proc.signalCode === null) run.proc.kill('SIGKILL');
    });
    await run.waitFor((line) => line.event === 'attempt');
    await expect.poll(run.stderr).toMatch(/next: try 2 · 5 min after the first, at /);
    run.proc.kill('SIGINT');
    expect(await run.exited).toEqual({ code: 1, signal: null });
    expect(run.stderr()).toMatch(/^hooklens: stopped after 1 try\.$/m);
    expect(run.lines.at(-1)).toEqual({ event: 'simulation', outcome: 'inactive', attempts: 1 });
  });

  it('--fail-first 2: a proxy answers the first two tries, delivered on try 3', async () => {
    const app = await handler(handlers.correct(CLI_SECRET));
    const run = await runCliToEnd(['simulate', 'quota.warning', '--to', app.url, '--secret', CLI_SECRET, '--instant', '--fail-first', '2', '--json', '--data-dir', dataDir()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.lines.at(-1)).toEqual({ event: 'simulation', outcome: 'delivered', attempts: 3 });
    expect(attemptLines(run.lines).map((line) => [line.status, line.target])).toEqual([
      [500, app.url],
      [500, app.url],
      [200, app.url],
    ]);
    expect(app.requests).toHaveLength(1);
    expect(app.requests[0]).toMatchObject({ type: 'quota.warning', status: 200 });
  });

  it.each([
    ['no --to', ['review.analysed', '--secret', CLI_SECRET, '--instant'], /--to URL is required/],
    ['--speed with --instant', ['review.analysed', '--to', '{url}', '--secret', CLI_SECRET, '--instant', '--speed', '60'], /either --speed or --instant/],
    ['an unknown source', ['review.deleted', '--to', '{url}', '--secret', CLI_SECRET, '--instant'], /"review\.deleted" is not an event type or a delivery id; give one of review\.analysed, .*, or the id of a captured delivery/],
    ['a speed over 1000000', ['review.analysed', '--to', '{url}', '--secret', CLI_SECRET, '--speed', '3600000'], /--speed must be a number from 1 to 1000000/],
    ['no secret', ['review.analysed', '--to', '{url}', '--instant'], /signs as ReviewSense does/],
  ])('bad usage (%s) exits 2 and sends nothing', async (_name, args, message) => {
    const app = await handler(handlers.correct(CLI_SECRET));
    const run = await runCliToEnd(['simulate', ...args.map((arg) => (arg === '{url}' ? app.url : arg)), '--json', '--data-dir', dataDir()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.lines).toEqual([]);
    expect(app.requests).toEqual([]);
  });
});
