import { createHmac } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../src/main/profile/samples';
import { startApp, type TestApp } from '../helpers/app-server';
import { runCli, type ServeProcess } from '../helpers/cli';
import { post } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';

const SECRET = 'whsec_forward_kill';
const sign = (body: Buffer): string => createHmac('sha256', SECRET).update(body).digest('hex');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function eventBody(id: string): Buffer {
  return Buffer.from(`${JSON.stringify(sampleEvent('review.analysed', { id }))}\n`);
}

/** `hooklens serve` forwarding to `target`, on a free port, over the data dir given. */
async function serve(dataDir: string, target: string): Promise<{ run: ServeProcess; url: string }> {
  const run = runCli(['serve', '--port', '0', '--no-ui', '--json', '--data-dir', dataDir, '--forward-to', target], { HOOKLENS_SECRET: SECRET });
  cleanups.push(() => {
    if (run.proc.exitCode === null && run.proc.signalCode === null) run.proc.kill('SIGKILL');
  });
  const ready = await run.waitFor((line) => line.event === 'ready');
  return { run, url: ready.receiverUrl as string };
}

async function killHard(run: ServeProcess): Promise<void> {
  run.proc.kill('SIGKILL');
  await run.exited;
}

/** The developer's app, whose mood the test sets: answers at once, slowly, or never. */
async function moodyApp() {
  let mood: 'healthy' | 'slow' | 'silent' = 'healthy';
  const held: ServerResponse[] = [];
  const app = await startApp((_request, response) => {
    if (mood === 'silent') held.push(response);
    else if (mood === 'slow') setTimeout(() => response.end('ok'), 150 + Math.floor(Math.random() * 300));
    else response.end('ok');
  });
  cleanups.push(app.close);
  return {
    url: app.url('/webhooks'),
    /** The event ids received, in arrival order. */
    received: () => app.received.map((request) => (JSON.parse(request.body.toString()) as { id: string }).id),
    setMood(next: typeof mood) {
      mood = next;
      if (next !== 'silent') for (const response of held.splice(0)) if (!response.destroyed) response.end('ok');
    },
  };
}

/** Polls until `check` passes or `ms` have gone by (then fails with what it saw). */
async function until(check: () => boolean, ms: number, what: () => string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${ms} ms: ${what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A small deterministic generator, so a failing run can be replayed from its seed. */
function randomFrom(seed: number) {
  let state = seed >>> 0;
  return (below: number): number => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % below;
  };
}

describe('forwarding across kill -9', () => {
  it('sends, after a restart, a delivery whose forward was on its way when serve was killed', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    // An app that takes the connection and never answers: the forward is in flight.
    const silent = await startApp(() => undefined);
    cleanups.push(() => silent.close());
    const first = await serve(dir.path, silent.url('/webhooks'));
    const body = eventBody('evt_in_flight');
    expect((await post(first.url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(body) })).status).toBe(200);
    await until(() => silent.received.length === 1, 5_000, () => 'the forward never reached the app');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await killHard(first.run);

    const healthy: TestApp = await startApp();
    cleanups.push(() => healthy.close());
    const second = await serve(dir.path, healthy.url('/webhooks'));
    await until(() => healthy.received.length === 1, 10_000, () => `received ${healthy.received.length}; stderr: ${second.run.stderr()}`);
    expect(healthy.received[0]?.body.equals(body)).toBe(true);
    expect(healthy.received[0]?.headers).toContainEqual(['x-reviewsense-signature', sign(body)]);
    await second.run.waitFor((line) => line.event === 'attempt' && line.kind === 'forward' && line.status === 200);
  }, 60_000);

  it('loses no acknowledged delivery over 200 deliveries, 5 kills, and an app that is slow or silent by turns', async () => {
    const seed = Number(process.env.FORWARD_KILL_SEED ?? Date.now() % 100_000);
    const random = randomFrom(seed);
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const app = await moodyApp();
    const acked: string[] = [];
    const moods = ['healthy', 'slow', 'silent'] as const;
    const pickMood = () => app.setMood(moods[random(3)] as (typeof moods)[number]);
    // Five kills at random points among the 200 deliveries, each followed by a restart.
    const killsAt = new Set<number>();
    while (killsAt.size < 5) killsAt.add(10 + random(180));

    pickMood();
    let running = await serve(dir.path, app.url);
    for (let i = 0; i < 200; i++) {
      const id = `evt_kill_${seed}_${i}`;
      const body = eventBody(id);
      const answer = post(running.url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(body) }).then(
        (result) => void (result.status === 200 && acked.push(id)),
        () => undefined, // cut by the kill: not acknowledged, so nothing was promised
      );
      if (killsAt.has(i)) {
        // The kill lands while this delivery may still be on its way in, and forwards are out.
        await new Promise((resolve) => setTimeout(resolve, random(5)));
        await killHard(running.run);
        await answer;
        pickMood();
        running = await serve(dir.path, app.url);
        continue;
      }
      await answer;
      if (random(4) === 0) await new Promise((resolve) => setTimeout(resolve, random(40)));
    }
    await killHard(running.run);

    app.setMood('healthy');
    const last = await serve(dir.path, app.url);
    await until(
      () => acked.every((id) => app.received().includes(id)),
      60_000,
      () => `seed ${seed}: ${acked.filter((id) => !app.received().includes(id)).length} of ${acked.length} acknowledged deliveries never forwarded; stderr: ${last.run.stderr()}`,
    );
    // In arrival order: the first time each acknowledged delivery reached the app follows the order it was acknowledged in.
    const firstSeen = [...new Set(app.received())].filter((id) => acked.includes(id));
    expect(firstSeen, `seed ${seed}`).toEqual(acked);
    expect(acked.length, `seed ${seed}`).toBeGreaterThan(190);
  }, 180_000);
});
