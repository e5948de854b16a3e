// runCheck (the check's engine, as the CLI calls it) against real handlers written right and wrong:
// which probes fail, and the cause each failure is blamed on.
import { describe, expect, it } from 'vitest';
import { runCheck } from '../../src/main/check/check-runner';
import { attemptRecord, unsavedAttempt } from '../../src/main/sender/sender-service';
import type { CheckReport, ProbeResult } from '../../src/shared/check';
import { handlers } from '../helpers/handlers';
import { COUNT_URL_ADVICE, DELIVERY_NAMES, FORGERY_NAMES, handlerScope, IDEMPOTENCY_ADVICE, PROBES_WITHOUT_COUNT, REDELIVERY_NAMES, SECRET, SIDE_EFFECT_NAMES, SIDE_EFFECTS, SIDE_EFFECTS_AT_ONCE } from './check/probes';

const { handler } = handlerScope();

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
