// `hooklens check`, the built CLI (out/main/cli.js: build first with `npx electron-vite build`):
// its exit code, its --json report and its summary, on handlers written the common ways.
import { describe, expect, it } from 'vitest';
import { runCliToEnd } from '../helpers/cli';
import { handlers } from '../helpers/handlers';
import { COUNT_URL_ADVICE, DELIVERY_NAMES, FORGERY_NAMES, handlerScope, IDEMPOTENCY_ADVICE, PROBES_WITHOUT_COUNT, REDELIVERY_NAMES, SECRET, SIDE_EFFECT_NAMES, SIDE_EFFECTS, SIDE_EFFECTS_AT_ONCE } from './check/probes';

const { handler } = handlerScope();

/** The CLI's `--json` report: its last stdout line. */
function reportLine(lines: Record<string, unknown>[]) {
  const last = lines.at(-1) as { ok: boolean; target: string; probes: Record<string, unknown>[] } | undefined;
  if (!last) throw new Error('no stdout line');
  return last;
}

describe('hooklens check (the built CLI) on handlers written the common ways', () => {
  it('exits 0 for a correct handler that answers first and works later, with --count-url', async () => {
    const app = await handler(handlers.answerThenWork(SECRET));
    const run = await runCliToEnd(['check', app.url, '--secret', SECRET, '--json', '--count-url', app.countUrl]);
    expect(run.code, run.stderr).toBe(0);
    expect(reportLine(run.lines).probes.filter((result) => result.ok === false)).toEqual([]);
    expect(run.stderr).toMatch(/all 19 probes passed/);
  });

  it('exits 1 for a racy dedupe, naming the side-effect probe at the same time', async () => {
    const app = await handler(handlers.racyDedupe(SECRET));
    const run = await runCliToEnd(['check', app.url, '--secret', SECRET, '--json', '--count-url', app.countUrl]);
    expect(run.code, run.stderr).toBe(1);
    expect(reportLine(run.lines).probes.filter((result) => result.ok === false)).toEqual([
      {
        name: SIDE_EFFECTS_AT_ONCE,
        ok: false,
        expected: '2 deliveries of one event at once → 1 side effect',
        got: '2 deliveries of one event at once → 2 side effects',
        ms: expect.any(Number),
        advice: expect.stringMatching(/check-then-insert.*unique constraint/),
      },
    ]);
  });

  it('exits 1 for a Flask-style handler that verifies json.dumps(request.get_json()), every failure blamed on the raw body or secret', async () => {
    const app = await handler(handlers.verifiesJsonDumps(SECRET));
    const run = await runCliToEnd(['check', app.url, '--secret', SECRET, '--json', '--count-url', app.countUrl]);
    expect(run.code, run.stderr).toBe(1);
    const failed = reportLine(run.lines).probes.filter((result) => result.ok === false);
    expect(failed.map((result) => result.name).sort()).toEqual([...DELIVERY_NAMES, ...REDELIVERY_NAMES, ...SIDE_EFFECT_NAMES].sort());
    for (const result of failed) {
      expect(result.advice, String(result.name)).toMatch(/HMAC the raw body, not re-serialised JSON/);
      expect(result.advice, String(result.name)).not.toMatch(IDEMPOTENCY_ADVICE);
      expect(result.advice, String(result.name)).not.toMatch(COUNT_URL_ADVICE);
    }
    expect(run.stderr).toMatch(/11 of 19 probes failed/);
  });

  it(
    'exits 1 for a handler that takes 12 s on every event, every failure blamed on the time, read as a sentence',
    async () => {
      const app = await handler(handlers.slowOnEvery(12_000, SECRET));
      const run = await runCliToEnd(['check', app.url, '--secret', SECRET, '--json']);
      expect(run.code, run.stderr).toBe(1);
      const report = reportLine(run.lines);
      const failed = report.probes.filter((result) => result.ok === false);
      expect(failed.map((result) => result.name).sort()).toEqual([...DELIVERY_NAMES, ...REDELIVERY_NAMES].sort());
      for (const result of failed) {
        expect(result.advice, String(result.name)).toMatch(/Answer 2xx first, then do the work in the background/);
        expect(result.advice, String(result.name)).not.toMatch(IDEMPOTENCY_ADVICE);
        expect(result.ms, String(result.name)).toBeNull();
      }
      for (const name of REDELIVERY_NAMES) expect(failed.find((result) => result.name === name)?.got, name).toBe('no answer within 10 s, twice');
      // Forgeries are refused at once: only genuine events are slow.
      expect(report.probes.filter((result) => FORGERY_NAMES.includes(String(result.name))).every((result) => result.ok === true)).toBe(true);
    },
    // ReviewSense's 10-s limit is the rule under test, and one after another is two of them: ~20 s.
    60_000,
  );
});

describe('hooklens check (the built CLI)', () => {
  it('exits 0 for a correct handler and prints the report as its last stdout line', async () => {
    const app = await handler(handlers.correct(SECRET));
    const run = await runCliToEnd(['check', app.url, '--secret', SECRET, '--json', '--count-url', app.countUrl]);
    expect(run.code, run.stderr).toBe(0);
    const report = reportLine(run.lines);
    expect(Object.keys(report).sort()).toEqual(['ok', 'probes', 'target']);
    expect(report.ok).toBe(true);
    expect(report.target).toBe(app.url);
    expect(report.probes).toHaveLength(PROBES_WITHOUT_COUNT + 2);
    for (const result of report.probes) {
      expect(Object.keys(result).sort()).toEqual(['advice', 'expected', 'got', 'ms', 'name', 'ok']);
      expect(result).toEqual({ name: expect.any(String), ok: true, expected: expect.any(String), got: expect.any(String), ms: expect.any(Number), advice: null });
    }
    expect(report.probes.map((result) => result.name).sort()).toEqual([...DELIVERY_NAMES, ...FORGERY_NAMES, ...REDELIVERY_NAMES, ...SIDE_EFFECT_NAMES].sort());
    expect(run.stderr).toMatch(/all 19 probes passed/);
  });

  it('exits 1 for a handler that accepts anything, naming the forgery probes and the cause', async () => {
    const app = await handler(handlers.acceptsAnything(SECRET));
    const run = await runCliToEnd(['check', app.url, '--secret', SECRET, '--json']);
    expect(run.code, run.stderr).toBe(1);
    const report = reportLine(run.lines);
    expect(report.ok).toBe(false);
    const failed = report.probes.filter((result) => result.ok === false);
    expect(failed.map((result) => result.name).sort()).toEqual([...FORGERY_NAMES].sort());
    for (const result of failed) expect(result.advice).toMatch(/does not verify signatures/);
    expect(run.stderr).toMatch(/8 of 17 probes failed/);
  });

  it('exits 1 for a handler that is not idempotent, with --count-url', async () => {
    const app = await handler(handlers.notIdempotent(SECRET));
    const run = await runCliToEnd(['check', app.url, '--secret', SECRET, '--json', '--count-url', app.countUrl]);
    expect(run.code, run.stderr).toBe(1);
    const report = reportLine(run.lines);
    const failed = report.probes.filter((result) => result.ok === false);
    expect(failed).toEqual([
      { name: SIDE_EFFECTS, ok: false, expected: '2 deliveries of one event → 1 side effect', got: '2 deliveries of one event → 2 side effects', ms: expect.any(Number), advice: expect.stringMatching(/not idempotent/i) },
      {
        name: SIDE_EFFECTS_AT_ONCE,
        ok: false,
        expected: '2 deliveries of one event at once → 1 side effect',
        got: '2 deliveries of one event at once → 2 side effects',
        ms: expect.any(Number),
        advice: expect.stringMatching(/not idempotent/i),
      },
    ]);
  });

  it('exits 1 for a handler that answers 500 to quota events', async () => {
    const app = await handler(handlers.fails500OnQuota(SECRET));
    const run = await runCliToEnd(['check', app.url, '--secret', SECRET, '--json']);
    expect(run.code, run.stderr).toBe(1);
    const failed = reportLine(run.lines).probes.filter((result) => result.ok === false);
    expect(failed.map((result) => result.name).sort()).toEqual(['delivers quota.exceeded', 'delivers quota.warning']);
  });

  it('exits 2 without a secret, sending nothing', async () => {
    const app = await handler(handlers.correct(SECRET));
    const run = await runCliToEnd(['check', app.url, '--json']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/signing secret/);
    expect(run.lines).toEqual([]);
    expect(app.requests).toEqual([]);
  });
});
