import { afterEach, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/main/check/check-runner';
import { attemptRecord, unsavedAttempt } from '../../src/main/sender/sender-service';
import type { CheckProgress, CheckReport, ProbeResult } from '../../src/shared/check';
import { EVENT_TYPES } from '../../src/shared/reviewsense/catalogue';
import { runCliToEnd } from '../helpers/cli';
import { handlers, type WebhookHandler } from '../helpers/handlers';
import { startInspector, type RunningInspector } from '../helpers/inspector';

const SECRET = 'whsec_check_suite_secret';
/** startInspector's runtime secret: the in-app check signs with it. */
const INSPECTOR_SECRET = 'whsec_test_current';

const FORGERY_NAMES = [
  'forged: missing signature',
  'forged: invalid signature',
  'forged: signed with another secret',
  'malformed: wrong length',
  'malformed: upper-case',
  'malformed: sha256= prefix',
  'forged: body tampered after signing',
  'forged: re-serialised body',
];
const DELIVERY_NAMES = EVENT_TYPES.map((type) => `delivers ${type}`);
const REDELIVERY_NAMES = ['same event twice, one after another', 'same event twice, at the same time'];
const SIDE_EFFECTS = 'side effects of a redelivery';
const SIDE_EFFECTS_AT_ONCE = 'side effects of a redelivery at the same time';
const SIDE_EFFECT_NAMES = [SIDE_EFFECTS, SIDE_EFFECTS_AT_ONCE];
/** 7 event types, 8 forgeries, 2 redeliveries. */
const PROBES_WITHOUT_COUNT = DELIVERY_NAMES.length + FORGERY_NAMES.length + REDELIVERY_NAMES.length;

const started: WebhookHandler[] = [];
const inspectors: RunningInspector[] = [];

afterEach(async () => {
  for (const handler of started.splice(0)) await handler.close();
  for (const running of inspectors.splice(0)) await running.stop();
});

async function handler(start: Promise<WebhookHandler>): Promise<WebhookHandler> {
  const running = await start;
  started.push(running);
  return running;
}

/** runCheck as the CLI calls it: loopback only, attempts recorded but not stored. */
function check(target: string, countUrl: string | null = null, onProbe?: (probe: ProbeResult, done: number, total: number) => void): Promise<CheckReport> {
  return runCheck({
    target,
    secret: SECRET,
    countUrl,
    send: { policy: { allowHosts: () => [], refusedPorts: () => [] } },
    record: (sent, answer) => unsavedAttempt(attemptRecord({ kind: 'check', deliveryId: null }, sent, answer)),
    onProbe,
  });
}

const failedNames = (report: CheckReport) =>
  report.probes
    .filter((probe) => !probe.ok)
    .map((probe) => probe.name)
    .sort();
const probe = (report: CheckReport, name: string): ProbeResult => {
  const found = report.probes.find((entry) => entry.name === name);
  if (!found) throw new Error(`no probe "${name}" in ${report.probes.map((entry) => entry.name).join(', ')}`);
  return found;
};

/** The CLI's `--json` report: its last stdout line. */
function reportLine(lines: Record<string, unknown>[]) {
  const last = lines.at(-1) as { ok: boolean; target: string; probes: Record<string, unknown>[] } | undefined;
  if (!last) throw new Error('no stdout line');
  return last;
}

describe('runCheck against real handlers', () => {
  it('passes every probe of a correct handler, and the handler saw every request once', async () => {
    const app = await handler(handlers.correct(SECRET));
    const progress: { name: string; done: number; total: number }[] = [];
    const report = await check(app.url, app.countUrl, (result, done, total) => progress.push({ name: result.name, done, total }));

    expect(report.ok).toBe(true);
    expect(report.target).toBe(app.url);
    expect(report.probes.map((entry) => entry.name).sort()).toEqual([...DELIVERY_NAMES, ...FORGERY_NAMES, ...REDELIVERY_NAMES, ...SIDE_EFFECT_NAMES].sort());
    for (const result of report.probes) {
      expect(result, result.name).toMatchObject({ ok: true, advice: null });
      expect(result.ms, result.name).toEqual(expect.any(Number));
      expect(result.attempts.length, result.name).toBeGreaterThan(0);
      expect(result.attempts.every((attempt) => attempt.kind === 'check' && attempt.target === app.url && attempt.id === 0)).toBe(true);
    }
    expect(probe(report, SIDE_EFFECTS).got).toBe('2 deliveries of one event → 1 side effect');
    expect(probe(report, SIDE_EFFECTS_AT_ONCE).got).toBe('2 deliveries of one event at once → 1 side effect');
    // Forgeries were refused with the handler's 401; genuine events got 200.
    for (const name of FORGERY_NAMES) expect(probe(report, name).attempts[0]?.status, name).toBe(401);
    for (const name of DELIVERY_NAMES) expect(probe(report, name).attempts[0]?.status, name).toBe(200);

    // One probe reported at a time, counting up to the total.
    expect(progress.map((entry) => entry.done)).toEqual(Array.from({ length: PROBES_WITHOUT_COUNT + 2 }, (_, index) => index + 1));
    expect(new Set(progress.map((entry) => entry.total))).toEqual(new Set([PROBES_WITHOUT_COUNT + 2]));
    // The side-effect probes run alone, one after the other, after every other probe.
    expect(progress.slice(-2).map((entry) => entry.name)).toEqual(SIDE_EFFECT_NAMES);

    // 7 deliveries + 8 forgeries + 2×2 redeliveries + 2×2 for the side-effect probes.
    expect(app.requests).toHaveLength(DELIVERY_NAMES.length + FORGERY_NAMES.length + 4 + 4);
    expect(app.requests.filter((request) => request.status === 401)).toHaveLength(FORGERY_NAMES.length);
    // 7 deliveries, 1 per redelivered event (2 probes), 1 per counted redelivery (2 probes).
    expect(app.count()).toBe(DELIVERY_NAMES.length + 2 + 2);
  });

  it('a handler that accepts anything fails every forgery probe, with advice that it does not verify', async () => {
    const app = await handler(handlers.acceptsAnything(SECRET));
    const report = await check(app.url);
    expect(report.ok).toBe(false);
    expect(failedNames(report)).toEqual([...FORGERY_NAMES].sort());
    for (const name of FORGERY_NAMES) {
      const result = probe(report, name);
      expect(result.got, name).toMatch(/^200 in \d+ ms$/);
      expect(result.advice, name).toMatch(/does not verify signatures/);
    }
    // Failing probes come first.
    expect(report.probes.slice(0, FORGERY_NAMES.length).every((result) => !result.ok)).toBe(true);
  });

  it('a handler that checks only presence fails every forgery but the missing header, advised as presence-only', async () => {
    const app = await handler(handlers.checksPresenceOnly(SECRET));
    const report = await check(app.url);
    expect(failedNames(report)).toEqual(FORGERY_NAMES.filter((name) => name !== 'forged: missing signature').sort());
    expect(probe(report, 'forged: missing signature')).toMatchObject({ ok: true, advice: null });
    for (const name of failedNames(report)) expect(probe(report, name).advice, name).toContain('checks only that X-ReviewSense-Signature is present');
  });

  it('a handler that checks only the format fails the well-formed forgeries, advised as format-only', async () => {
    const app = await handler(handlers.checksFormatOnly(SECRET));
    const report = await check(app.url);
    // Well-formed (64 lower-case hex) but wrong: accepted. Malformed or missing: refused.
    expect(failedNames(report)).toEqual(['forged: body tampered after signing', 'forged: invalid signature', 'forged: re-serialised body', 'forged: signed with another secret']);
    for (const name of failedNames(report)) expect(probe(report, name).advice, name).toContain("checks only the header's format");
    for (const name of ['forged: missing signature', 'malformed: wrong length', 'malformed: upper-case', 'malformed: sha256= prefix']) {
      expect(probe(report, name).ok, name).toBe(true);
    }
  });

  it('a handler that verifies re-serialised JSON fails only the re-serialised probe, advised about parsed JSON', async () => {
    const app = await handler(handlers.verifiesReserialisedJson(SECRET));
    const report = await check(app.url);
    expect(failedNames(report)).toEqual(['forged: re-serialised body']);
    const result = probe(report, 'forged: re-serialised body');
    expect(result.got).toMatch(/^200 /);
    expect(result.advice).toMatch(/re-serialised parsed JSON/);
    expect(result.advice).toMatch(/raw/);
  });

  it(
    'a handler that takes 11 s on review.flagged fails that delivery, advised to answer within 10 s',
    async () => {
      const app = await handler(handlers.slowOn('review.flagged', SECRET));
      const report = await check(app.url);
      expect(failedNames(report)).toEqual(['delivers review.flagged']);
      const result = probe(report, 'delivers review.flagged');
      expect(result.got).toMatch(/within 10 s/);
      expect(result.ms).toBeNull();
      expect(result.advice).toMatch(/longer than 10 s/);
      expect(result.advice).toMatch(/Answer 2xx first/);
      // The forgery signed over a review.flagged body was refused at once, not held.
      expect(probe(report, 'forged: signed with another secret')).toMatchObject({ ok: true });
    },
    // The rule under test is time itself: ReviewSense's 10-s limit, so this test takes ~10 s.
    60_000,
  );

  it('a handler that answers 500 to quota events fails both quota deliveries', async () => {
    const app = await handler(handlers.fails500OnQuota(SECRET));
    const report = await check(app.url);
    expect(failedNames(report)).toEqual(['delivers quota.exceeded', 'delivers quota.warning']);
    for (const name of ['delivers quota.exceeded', 'delivers quota.warning']) {
      const result = probe(report, name);
      expect(result.got).toMatch(/^500 in \d+ ms$/);
      expect(result.advice).toMatch(/answered 500/i);
      expect(result.advice).toMatch(/your handler failed on it/);
      expect(result.advice).toMatch(/2xx to every event type/);
    }
  });

  it('a handler that answers 409 to a redelivery fails both redelivery probes', async () => {
    const app = await handler(handlers.conflictOnRedelivery(SECRET));
    const report = await check(app.url);
    expect(failedNames(report)).toEqual([...REDELIVERY_NAMES].sort());
    expect(probe(report, 'same event twice, one after another').got).toMatch(/^200 in \d+ ms, then 409 in \d+ ms$/);
    // At the same time: one of the two is first; the other is the redelivery.
    expect(probe(report, 'same event twice, at the same time').got).toMatch(/^(200|409) in \d+ ms and (200|409) in \d+ ms$/);
    expect(probe(report, 'same event twice, at the same time').got).toContain('409');
    for (const name of REDELIVERY_NAMES) expect(probe(report, name).advice, name).toMatch(/must still get a 2xx/);
  });

  it('a handler that is not idempotent fails both side-effect probes given a count URL', async () => {
    const app = await handler(handlers.notIdempotent(SECRET));
    const report = await check(app.url, app.countUrl);
    expect(failedNames(report)).toEqual([...SIDE_EFFECT_NAMES].sort());
    const result = probe(report, SIDE_EFFECTS);
    expect(result.got).toBe('2 deliveries of one event → 2 side effects');
    expect(result.advice).toMatch(/not idempotent/i);
    expect(result.group).toBe('side-effects');
    expect(result.attempts).toHaveLength(2);
    // Not a race: it does the work twice whenever the deliveries come, and is told so.
    const atOnce = probe(report, SIDE_EFFECTS_AT_ONCE);
    expect(atOnce.got).toBe('2 deliveries of one event at once → 2 side effects');
    expect(atOnce.advice).toMatch(/not idempotent/i);
    expect(atOnce.attempts).toHaveLength(2);
  });
});

/** Advice that blames idempotency, or the count URL: wrong whenever the event itself was not delivered. */
const IDEMPOTENCY_ADVICE = /Remember processed event ids|not idempotent/i;
const COUNT_URL_ADVICE = /does --count-url count/;

describe('runCheck: the cause each failure is blamed on', () => {
  it('a correct handler that answers first and works 300–800 ms later passes, its side effects counted once they settle', async () => {
    const app = await handler(handlers.answerThenWork(SECRET));
    const report = await check(app.url, app.countUrl);
    expect(failedNames(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(probe(report, SIDE_EFFECTS).got).toMatch(/^2 deliveries of one event → 1 side effect \(counted [\d.]+ s after the answers\)$/);
    expect(probe(report, SIDE_EFFECTS_AT_ONCE).got).toMatch(/^2 deliveries of one event at once → 1 side effect \(counted [\d.]+ s after the answers\)$/);
    // Every event's work was done once, all of it before the check ended.
    expect(app.count()).toBe(DELIVERY_NAMES.length + 2 + 2);
  });

  it('a handler whose dedupe is check-then-insert across an await fails the side-effect probe at the same time, advised to make it atomic', async () => {
    const app = await handler(handlers.racyDedupe(SECRET));
    const report = await check(app.url, app.countUrl);
    // Its answers are all right, and one redelivery after another is skipped: only the race shows.
    expect(failedNames(report)).toEqual([SIDE_EFFECTS_AT_ONCE]);
    expect(probe(report, 'same event twice, at the same time').ok).toBe(true);
    expect(probe(report, SIDE_EFFECTS).got).toBe('2 deliveries of one event → 1 side effect');
    const result = probe(report, SIDE_EFFECTS_AT_ONCE);
    expect(result.expected).toBe('2 deliveries of one event at once → 1 side effect');
    expect(result.got).toBe('2 deliveries of one event at once → 2 side effects');
    expect(result.advice).toMatch(/at once/);
    expect(result.advice).toMatch(/check-then-insert/);
    expect(result.advice).toMatch(/unique constraint/);
    expect(result.attempts.map((attempt) => attempt.status)).toEqual([200, 200]);
  });

  it('a handler with another endpoint\'s secret fails every genuine delivery, each blamed on the secret, not on idempotency or the count URL', async () => {
    const app = await handler(handlers.wrongSecret(SECRET));
    const report = await check(app.url, app.countUrl);
    expect(failedNames(report)).toEqual([...DELIVERY_NAMES, ...REDELIVERY_NAMES, ...SIDE_EFFECT_NAMES].sort());
    for (const result of report.probes.filter((entry) => !entry.ok)) {
      expect(result.advice, result.name).toMatch(/Check the signing secret/);
      expect(result.advice, result.name).not.toMatch(IDEMPOTENCY_ADVICE);
      expect(result.advice, result.name).not.toMatch(COUNT_URL_ADVICE);
    }
    expect(probe(report, 'same event twice, one after another').got).toMatch(/^401 twice, in \d+ ms and \d+ ms$/);
    expect(probe(report, 'same event twice, at the same time').got).toMatch(/^401 twice, in \d+ ms and \d+ ms$/);
    expect(probe(report, SIDE_EFFECTS).got).toMatch(/^2 deliveries of one event → 0 side effects \(neither delivered: 401 twice, in \d+ ms and \d+ ms\)$/);
    expect(app.count()).toBe(0);
  });

  it('a handler that lets a unique-constraint violation become a 500 fails both redelivery probes, blamed on the redelivery', async () => {
    const app = await handler(handlers.fails500OnRedelivery(SECRET));
    const report = await check(app.url);
    expect(failedNames(report)).toEqual([...REDELIVERY_NAMES].sort());
    const after = probe(report, 'same event twice, one after another');
    expect(after.got).toMatch(/^200 in \d+ ms, then 500 in \d+ ms$/);
    expect(after.advice).toMatch(/Remember processed event ids/);
    const atOnce = probe(report, 'same event twice, at the same time');
    expect(atOnce.got).toMatch(/^(200 in \d+ ms and 500|500 in \d+ ms and 200) in \d+ ms$/);
    expect(atOnce.advice).toMatch(/at once/);
    expect(atOnce.advice).toMatch(/unique-constraint violation/);
    expect(atOnce.advice).toMatch(/must still get a 2xx/);
  });

  it('a correct handler whose count never moves fails the side-effect probes in bounded time, asking what --count-url counts', async () => {
    const app = await handler(handlers.correct(SECRET));
    const idle = await handler(handlers.correct(SECRET));
    const report = await check(app.url, idle.countUrl);
    expect(failedNames(report)).toEqual([...SIDE_EFFECT_NAMES].sort());
    expect(probe(report, SIDE_EFFECTS).got).toBe('2 deliveries of one event → 0 side effects (no change within 5 s of the answers)');
    expect(probe(report, SIDE_EFFECTS_AT_ONCE).got).toBe('2 deliveries of one event at once → 0 side effects (no change within 5 s of the answers)');
    for (const name of SIDE_EFFECT_NAMES) expect(probe(report, name).advice, name).toMatch(COUNT_URL_ADVICE);
  });
});

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

describe('the in-app check (Inspector.startCheck)', () => {
  it('pushes one check event per probe, counting up to the total, then one with the report', async () => {
    const running = await startInspector();
    inspectors.push(running);
    const app = await handler(handlers.correct(INSPECTOR_SECRET));
    const events: CheckProgress[] = [];
    const finished = new Promise<CheckProgress>((resolve) =>
      running.inspector.on('check', (progress) => {
        events.push(progress);
        if (progress.report !== null || progress.error !== null) resolve(progress);
      }),
    );

    const { runId } = running.inspector.startCheck({ target: app.url, secretId: null, countUrl: null });
    const last = await finished;

    expect(events.every((progress) => progress.runId === runId && progress.target === app.url && progress.error === null)).toBe(true);
    const perProbe = events.slice(0, -1);
    expect(perProbe).toHaveLength(PROBES_WITHOUT_COUNT);
    expect(perProbe.map((progress) => progress.done)).toEqual(Array.from({ length: PROBES_WITHOUT_COUNT }, (_, index) => index + 1));
    for (const progress of perProbe) {
      expect(progress.total).toBe(PROBES_WITHOUT_COUNT);
      expect(progress.probe).toMatchObject({ ok: true, advice: null });
      expect(progress.report).toBeNull();
    }
    expect(new Set(perProbe.map((progress) => progress.probe?.name)).size).toBe(PROBES_WITHOUT_COUNT);

    expect(last).toMatchObject({ runId, done: PROBES_WITHOUT_COUNT, total: PROBES_WITHOUT_COUNT, probe: null, error: null });
    expect(last.report).toMatchObject({ ok: true, target: app.url });
    expect(last.report?.probes).toHaveLength(PROBES_WITHOUT_COUNT);
    // Signed with the Inspector's own secret: the handler verified every genuine request.
    expect(app.requests.filter((request) => request.status === 200)).toHaveLength(DELIVERY_NAMES.length + 4);
  });

  it('reports a failing handler in the final report, with the advice', async () => {
    const running = await startInspector();
    inspectors.push(running);
    const app = await handler(handlers.checksFormatOnly(INSPECTOR_SECRET));
    const finished = new Promise<CheckProgress>((resolve) =>
      running.inspector.on('check', (progress) => {
        if (progress.report !== null || progress.error !== null) resolve(progress);
      }),
    );
    running.inspector.startCheck({ target: app.url, secretId: null, countUrl: null });
    const last = await finished;
    expect(last.report?.ok).toBe(false);
    const failed = last.report?.probes.filter((result) => !result.ok) ?? [];
    expect(failed.map((result) => result.name).sort()).toEqual(['forged: body tampered after signing', 'forged: invalid signature', 'forged: re-serialised body', 'forged: signed with another secret']);
    for (const result of failed) expect(result.advice).toContain("checks only the header's format");
  });
});
