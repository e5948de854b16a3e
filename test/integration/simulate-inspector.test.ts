// Simulating ReviewSense's retries through the Inspector: the schedule's order and proportions,
// injected faults, the endpoint marked inactive, speed 0, cancel, and resuming after a restart.
import { describe, expect, it } from 'vitest';
import { Inspector } from '../../src/main/inspector/inspector';
import { RETRY_SCHEDULE } from '../../src/shared/reviewsense/retry-schedule';
import type { SimulationStatus } from '../../src/shared/simulation';
import { behaviours, handlers } from '../helpers/handlers';
import { simulationWhere } from '../helpers/simulations';
import { tempDir } from '../helpers/temp-dir';
import { expectSameSignedEvent, simulationScope } from './simulate/harness';

/** startInspector's runtime secret: simulations from an Inspector are signed with it. */
const SECRET = 'whsec_test_current';
const LABELS = ['now', '+5 m', '+30 m', '+2 h', '+6 h', '+24 h'];
/**
 * The fastest speed the contract and the CLI accept (1 to 1 000 000; 0 is instant): 24 h → 86 ms,
 * a whole schedule in well under a second.
 */
const FAST = 1_000_000;

const { handler, inspector, cleanups } = simulationScope();

const finished = (on: Inspector, id: number) => simulationWhere(on, id, (status) => status.state !== 'running');
const triesReach = (on: Inspector, id: number, count: number) => simulationWhere(on, id, (status) => status.tries.length >= count);

/** Every `simulation` event of one simulation, in order. */
function record(on: Inspector): SimulationStatus[] {
  const events: SimulationStatus[] = [];
  on.on('simulation', (status) => events.push(status));
  return events;
}

describe('simulate through the Inspector', () => {
  it('retries on the schedule, in its order and proportions, and is delivered after N failures', async () => {
    const on = await inspector();
    // A first simulation warms the path (first connection, first rows written), so the first
    // try of the measured one costs what the others do.
    const warm = await handler(handlers.correct(SECRET));
    const warmUp = on.startSimulation({ eventType: 'webhook.test', target: warm.url, secretId: null, speed: 0, faults: null });
    expect((await finished(on, warmUp.id)).state).toBe('delivered');

    const app = await handler(handlers.failsFirst(5, SECRET));
    const events = record(on);
    // Slower than FAST on purpose: 5 m → 25 ms, 30 m → 150 ms … 24 h → 7.2 s. Each gap also holds
    // a request and two synchronous SQLite commits; at this speed the smallest step between two
    // gaps (125 ms) stays above that noise on a busy machine, so the order is the schedule's.
    const speed = 12_000;
    const start = on.startSimulation({ eventType: 'review.analysed', target: app.url, secretId: null, speed, faults: null });
    expect(start).toMatchObject({ state: 'running', target: app.url, speed, eventType: 'review.analysed', tries: [] });

    const final = await finished(on, start.id);
    expect(final.state).toBe('delivered');
    expect(final.tries.map((entry) => entry.status)).toEqual([500, 500, 500, 500, 500, 200]);
    expect(final.tries.map((entry) => entry.number)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(final.tries.map((entry) => entry.delivered)).toEqual([false, false, false, false, false, true]);
    expect(final.tries.map((entry) => entry.verdict)).toEqual([
      'would fail (answered 500): retry #1 in 5 minutes',
      'would fail (answered 500): retry #2 in 30 minutes',
      'would fail (answered 500): retry #3 in 2 hours',
      'would fail (answered 500): retry #4 in 6 hours',
      'would fail (answered 500): retry #5 in 24 hours',
      'would count as delivered',
    ]);
    expect(final.tries.every((entry) => !entry.injected)).toBe(true);
    expect(final).toMatchObject({ nextTryAt: null, nextLabel: null });

    // The gaps between tries (from each attempt's startedAt) grow as 5 m : 30 m : 2 h : 6 h : 24 h,
    // and none is shorter than its scheduled delay divided by the speed.
    const at = final.tries.map((entry) => entry.at);
    const gaps = at.slice(1).map((time, index) => time - (at[index] as number));
    expect(gaps).toHaveLength(RETRY_SCHEDULE.length);
    for (let index = 1; index < gaps.length; index += 1) expect(gaps[index], `gap ${index + 1} after gap ${index}: ${gaps.join(', ')}`).toBeGreaterThan(gaps[index - 1] as number);
    RETRY_SCHEDULE.forEach((step, index) => expect(gaps[index], `gap ${index + 1}: ${gaps.join(', ')}`).toBeGreaterThanOrEqual(step.delayMs / speed));

    // One event per try; while running each names the next retry, due no sooner than its delay.
    const mine = events.filter((status) => status.id === start.id);
    expect(mine.map((status) => status.tries.length)).toEqual([1, 2, 3, 4, 5, 6]);
    mine.slice(0, -1).forEach((status, index) => {
      expect(status.state).toBe('running');
      expect(status.nextLabel).toBe(LABELS[index + 1]);
      expect(status.nextTryAt as number).toBeGreaterThanOrEqual((status.tries.at(-1)?.at as number) + (RETRY_SCHEDULE[index]?.delayMs as number) / speed);
    });

    // The app got the same signed event six times and did its work once.
    expect(app.requests).toHaveLength(6);
    expectSameSignedEvent(app, SECRET);
    expect(app.requests[0]?.type).toBe('review.analysed');
    expect(app.count()).toBe(1);
    expect(on.listSimulations().find((status) => status.id === start.id)).toEqual(final);
  }, 60_000);

  it('injects faults with a proxy: the first 2 tries answered 500 by it, the app sees only the third', async () => {
    const on = await inspector();
    const app = await handler(handlers.correct(SECRET));
    const start = on.startSimulation({ eventType: 'review.flagged', target: app.url, secretId: null, speed: FAST, faults: { kind: 'error', first: 2 } });
    expect(start.faults).toEqual({ kind: 'error', first: 2 });

    const final = await finished(on, start.id);
    expect(final.state).toBe('delivered');
    expect(final.tries.map((entry) => entry.status)).toEqual([500, 500, 200]);
    expect(final.tries.map((entry) => entry.injected)).toEqual([true, true, false]);
    expect(final.tries[2]?.verdict).toBe('would count as delivered');
    expect(final.target).toBe(app.url);

    expect(app.requests).toHaveLength(1);
    expect(app.requests[0]).toMatchObject({ type: 'review.flagged', status: 200 });
    expectSameSignedEvent(app, SECRET);
  });

  it('marks the endpoint inactive after the 6th try (the 5th retry) fails', async () => {
    const on = await inspector();
    const app = await handler(handlers.always(500, SECRET));
    const start = on.startSimulation({ eventType: 'quota.exceeded', target: app.url, secretId: null, speed: FAST, faults: null });

    const final = await finished(on, start.id);
    expect(final.state).toBe('inactive');
    expect(final.tries).toHaveLength(6);
    expect(final.tries.every((entry) => entry.status === 500 && !entry.delivered)).toBe(true);
    final.tries.slice(0, 5).forEach((entry, index) => expect(entry.verdict).toContain(`retry #${index + 1} in`));
    expect(final.tries[5]?.verdict).toBe('would fail (answered 500): the endpoint would be marked inactive');
    expect(final).toMatchObject({ nextTryAt: null, nextLabel: null });
    expect(app.requests).toHaveLength(6);
    expectSameSignedEvent(app, SECRET);
  });

  it('at speed 0 sends every retry at once', async () => {
    const on = await inspector();
    const app = await handler(handlers.failsFirst(2, SECRET));
    const start = on.startSimulation({ eventType: 'webhook.test', target: app.url, secretId: null, speed: 0, faults: null });
    expect(start.speed).toBe(0);

    const final = await finished(on, start.id);
    expect(final.state).toBe('delivered');
    expect(final.tries.map((entry) => entry.status)).toEqual([500, 500, 200]);
    expect(app.requests).toHaveLength(3);
    expect(app.count()).toBe(1);
  });

  it('cancel stops a simulation: its next retry is never sent', async () => {
    const on = await inspector();
    const down = await handler(handlers.always(500, SECRET));
    // 5 m → 500 ms: the first retry would come soon after the first try.
    const speed = 600;
    const cancelled = on.startSimulation({ eventType: 'review.analysed', target: down.url, secretId: null, speed, faults: null });
    const afterFirst = await triesReach(on, cancelled.id, 1);
    expect(afterFirst).toMatchObject({ state: 'running', nextLabel: '+5 m' });
    const wouldRetryAt = afterFirst.nextTryAt as number;

    const answer = on.cancelSimulation(cancelled.id);
    expect(answer).toMatchObject({ id: cancelled.id, state: 'cancelled' });
    const settled = await finished(on, cancelled.id);
    expect(settled).toMatchObject({ state: 'cancelled', nextTryAt: null, nextLabel: null });

    // A witness on the same schedule, started after the cancel: once its own first retry has gone
    // out, the cancelled one's would have gone out too.
    const up = await handler(handlers.failsFirst(1, SECRET));
    const witness = on.startSimulation({ eventType: 'review.analysed', target: up.url, secretId: null, speed, faults: null });
    const witnessed = await finished(on, witness.id);
    expect(witnessed.state).toBe('delivered');
    expect(witnessed.tries[1]?.at as number).toBeGreaterThan(wouldRetryAt);

    expect(down.requests).toHaveLength(1);
    expect(on.listSimulations().find((status) => status.id === cancelled.id)).toMatchObject({ state: 'cancelled', tries: [expect.objectContaining({ status: 500 })] });
    expect(on.cancelSimulation(9_999)).toBeNull();
  });

  it('resumes after a restart: a new Inspector on the same data dir carries the simulation on', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const config = { dataDir: dir.path, runtimeSecrets: [{ label: 'current', value: SECRET }], receiver: { port: 0 } };
    const app = await handler(handlers.always(500, SECRET));

    const first = new Inspector(config);
    let firstRunning = true;
    cleanups.push(() => (firstRunning ? first.stop() : undefined));
    await first.start();
    // 5 m → 500 ms, 30 m → 3 s: the next retry is comfortably later than the stop.
    const speed = 600;
    const start = first.startSimulation({ eventType: 'review.responded', target: app.url, secretId: null, speed, faults: null });
    const afterFirst = await triesReach(first, start.id, 1);
    expect(afterFirst).toMatchObject({ state: 'running', nextLabel: '+5 m' });
    await first.stop();
    firstRunning = false;

    const second = new Inspector(config);
    cleanups.push(() => second.stop());
    // Before start(): on disk, still running after one try.
    expect(second.listSimulations().find((status) => status.id === start.id)).toMatchObject({ state: 'running', tries: [expect.objectContaining({ status: 500 })] });
    expect(app.requests).toHaveLength(1);

    const events = record(second);
    await second.start();
    const afterSecond = await triesReach(second, start.id, 2);
    expect(afterSecond).toMatchObject({ id: start.id, state: 'running', nextLabel: '+30 m' });
    expect(afterSecond.tries[1]).toMatchObject({ number: 2, status: 500, verdict: 'would fail (answered 500): retry #2 in 30 minutes' });
    expect(afterSecond.tries[1]?.at as number).toBeGreaterThanOrEqual(afterFirst.nextTryAt as number);

    // The app comes back: the 2nd retry is delivered.
    app.use(behaviours.correct);
    const final = await finished(second, start.id);
    expect(final).toMatchObject({ id: start.id, state: 'delivered' });
    expect(final.tries.map((entry) => entry.status)).toEqual([500, 500, 200]);
    expect(final.tries.map((entry) => entry.number)).toEqual([1, 2, 3]);
    expect(events.every((status) => status.id === start.id)).toBe(true);
    expect(app.requests).toHaveLength(3);
    expectSameSignedEvent(app, SECRET);
  });
});
