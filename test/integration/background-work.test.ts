import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../src/main/profile/samples';
import type { BackgroundProblemChange } from '../../src/shared/background';
import { freePort, startApp } from '../helpers/app-server';
import { handlers, type WebhookHandler } from '../helpers/handlers';
import { post } from '../helpers/http';
import { startInspector, type RunningInspector } from '../helpers/inspector';
import { simulationWhere } from '../helpers/simulations';

const SECRET = 'whsec_test_current';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Unhandled rejections of this process while a test runs: each one would end a real `serve`. */
function watchUnhandled() {
  const caught: unknown[] = [];
  const listener = (reason: unknown) => void caught.push(reason);
  process.on('unhandledRejection', listener);
  cleanups.push(() => void process.off('unhandledRejection', listener));
  return caught;
}

async function inspector(): Promise<RunningInspector & { problems: BackgroundProblemChange[] }> {
  const running = await startInspector();
  cleanups.push(() => running.stop());
  const problems: BackgroundProblemChange[] = [];
  running.inspector.on('problem', (change) => problems.push(change));
  return Object.assign(running, { problems });
}

async function handler(start: Promise<WebhookHandler>): Promise<WebhookHandler> {
  const running = await start;
  cleanups.push(() => running.close());
  return running;
}

/** Another process's write lock on the database (as `hooklens import` beside `serve` takes it). */
function lockDatabase(dataDir: string): () => void {
  const other = new Database(join(dataDir, 'hooklens.db'));
  other.exec('BEGIN IMMEDIATE');
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    other.exec('ROLLBACK');
    other.close();
  };
  cleanups.push(release);
  return release;
}

function eventBody(id: string): Buffer {
  return Buffer.from(JSON.stringify(sampleEvent('review.analysed', { id })));
}

function deliver(url: string, body: Buffer) {
  return post(url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': createHmac('sha256', SECRET).update(body).digest('hex') });
}

/** Whether anything accepts a TCP connection on this loopback port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('simulations beside another process', () => {
  it('a try that storage refuses (SQLITE_BUSY) is said once and retried; the simulation still ends', async () => {
    const unhandled = watchUnhandled();
    const running = await inspector();
    const app = await handler(handlers.failsFirst(1, SECRET));
    const started = running.inspector.startSimulation({ eventType: 'review.analysed', target: app.url, secretId: null, speed: 1_000_000, faults: null });
    // Taken before the first try's timer fires: the try cannot record that it began.
    const release = lockDatabase(running.dataDir);
    await expect.poll(() => running.problems.length, { timeout: 5_000 }).toBe(1);
    expect(running.problems[0]).toMatchObject({ task: `simulation #${started.id}`, problem: { message: expect.stringMatching(/locked/i), retryAt: expect.any(Number) } });
    expect(running.inspector.getStatus().problems).toHaveLength(1);
    release();

    const final = await simulationWhere(running.inspector, started.id, (status) => status.state !== 'running');
    expect(final.state).toBe('delivered');
    expect(final.tries.map((entry) => entry.status)).toEqual([500, 200]);
    expect(running.problems.at(-1)).toEqual({ task: `simulation #${started.id}`, problem: null });
    expect(running.inspector.getStatus().problems).toEqual([]);
    expect(unhandled).toEqual([]);
  });

  it('cancel under another process’s lock fails with a sentence, and works once the lock is gone', async () => {
    const unhandled = watchUnhandled();
    const running = await inspector();
    const app = await handler(handlers.always(500, SECRET));
    const started = running.inspector.startSimulation({ eventType: 'review.analysed', target: app.url, secretId: null, speed: 1, faults: null });
    await simulationWhere(running.inspector, started.id, (status) => status.tries.length === 1);
    const release = lockDatabase(running.dataDir);
    expect(() => running.inspector.cancelSimulation(started.id)).toThrow(`Could not cancel simulation #${started.id}: database is locked. It goes on; try again in a moment.`);
    release();
    expect(running.inspector.cancelSimulation(started.id)).toMatchObject({ state: 'cancelled' });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(unhandled).toEqual([]);
  });

  it('a simulation started from a delivery keeps its timeline and goes on when the delivery is deleted', async () => {
    const running = await inspector();
    expect((await deliver(running.url, eventBody('evt_sim_deleted'))).status).toBe(200);
    const [delivery] = running.inspector.listDeliveries();
    const app = await handler(handlers.failsFirst(2, SECRET));
    // 5 m → 300 ms: the first retry comes after the delete.
    const started = running.inspector.startSimulation({ deliveryId: delivery?.id ?? 0, target: app.url, secretId: null, speed: 1_000, faults: null });
    await simulationWhere(running.inspector, started.id, (status) => status.tries.length === 1);
    expect(running.inspector.deleteDelivery(delivery?.id ?? 0)).toBe(true);

    const final = await simulationWhere(running.inspector, started.id, (status) => status.state !== 'running');
    expect(final).toMatchObject({ state: 'delivered', deliveryId: delivery?.id });
    expect(final.tries.map((entry) => entry.status)).toEqual([500, 500, 200]);
    expect(running.inspector.listSimulations().find((status) => status.id === started.id)?.tries).toHaveLength(3);
  });
});

describe('the forward queue beside another process', () => {
  it('a drain that storage refuses is said once, backs off, and delivers once the lock is gone', async () => {
    const unhandled = watchUnhandled();
    const port = await freePort();
    const running = await inspector();
    running.inspector.setForwarding({ enabled: true, target: `http://127.0.0.1:${port}/webhooks`, mirror: false });
    expect((await deliver(running.url, eventBody('evt_locked_queue'))).status).toBe(200);
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(1);

    const app = await startApp(undefined, port);
    cleanups.push(() => app.close());
    const release = lockDatabase(running.dataDir);
    running.inspector.retryForwardQueue();
    await expect.poll(() => running.problems.map((change) => change.task), { timeout: 5_000 }).toEqual(['forward queue']);
    expect(running.problems[0]?.problem?.message).toMatch(/locked/i);
    release();

    await expect.poll(() => running.inspector.getForwarding().queue.count, { timeout: 20_000 }).toBe(0);
    expect(app.received.length).toBeGreaterThanOrEqual(1);
    expect(running.problems.at(-1)).toEqual({ task: 'forward queue', problem: null });
    expect(unhandled).toEqual([]);
  });
});

describe('moving the receiver', () => {
  it('two moves at once (a double-click on Save) run one after the other: one server, each its own answer', async () => {
    const running = await inspector();
    const [first, second] = [await freePort(), await freePort()];
    const moves = await Promise.all([
      running.inspector.setReceiver({ port: first, path: '/hooks/first' }),
      running.inspector.setReceiver({ port: second, path: '/hooks/second' }),
    ]);
    expect(moves.map((info) => [info.port, info.path])).toEqual([
      [first, '/hooks/first'],
      [second, '/hooks/second'],
    ]);
    expect(running.inspector.getStatus().receiver).toMatchObject({ port: second, path: '/hooks/second' });
    expect(await listening(first)).toBe(false);
    expect(await listening(second)).toBe(true);
    await running.inspector.stop();
    expect(await listening(second)).toBe(false);
  });
});
