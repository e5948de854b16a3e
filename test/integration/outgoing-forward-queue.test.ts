// The forward queue: what waits while the app is down or resets, is sent in order once it listens,
// survives a restart of Hooklens, and a stop while a forward is in flight.
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { Inspector, type InspectorConfig } from '../../src/main/inspector/inspector';
import { freePort, startApp } from '../helpers/app-server';
import { probeConnects } from '../helpers/connect-probe';
import { tempDir } from '../helpers/temp-dir';
import { testScope } from '../helpers/test-scope';
import { deliver, eventBody, idOf, SECRET } from './outgoing/events';

const scope = testScope();
const { inspector, app } = scope;

describe('the forward queue', () => {
  const ids = ['evt_queue_1', 'evt_queue_2', 'evt_queue_3'];

  it('keeps deliveries while the app is down, then sends them in order once it listens', async () => {
    const port = await freePort();
    const running = await inspector({ forwarding: { enabled: true, target: `http://127.0.0.1:${port}/webhooks`, mirror: false } });
    for (const id of ids) expect((await deliver(running.url, eventBody(id))).status).toBe(200);
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(3);
    const [first] = running.inspector.getForwarding().queue.items;
    expect(first?.lastError).toBe(`Connection refused: nothing is listening on 127.0.0.1 port ${port}. Is your app running?`);

    const target = await app(undefined, port);
    await expect.poll(() => target.received.length, { timeout: 20_000 }).toBe(3);
    expect(target.received.map(idOf)).toEqual(ids);
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(0);

    const deliveries = running.inspector.listDeliveries();
    expect(deliveries.map((delivery) => delivery.lastAttempt)).toEqual(Array.from({ length: 3 }, () => ({ kind: 'forward', status: 200, delivered: true, queued: false, ok: true })));
    // The refused try is on record too, marked as waiting in the queue.
    const oldest = deliveries.at(-1);
    const refused = running.inspector.getDelivery(oldest?.id ?? 0)?.attempts.filter((attempt) => attempt.queued) ?? [];
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.verdict).toMatch(/; waiting in the forward queue until the app accepts connections$/);
  });

  it('is emptied by Delete all, and the forwarding panel hears of it', async () => {
    const port = await freePort();
    const running = await inspector({ forwarding: { enabled: true, target: `http://127.0.0.1:${port}/webhooks`, mirror: false } });
    for (const id of ids) expect((await deliver(running.url, eventBody(id))).status).toBe(200);
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(3);
    const pushed: number[] = [];
    running.inspector.on('forwarding', (status) => pushed.push(status.queue.count));

    expect(running.inspector.clearDeliveries()).toBe(3);

    expect(pushed).toEqual([0]);
    expect(running.inspector.getForwarding().queue).toMatchObject({ count: 0, items: [] });
  });

  it('keeps a delivery whose connection the app resets (a hot reload), and sends it once the app answers', async () => {
    // An app that accepts the first connection and drops it without answering, then answers normally.
    let dropped = false;
    const app = await startApp((_request, response) => {
      if (dropped) return void response.end('ok');
      dropped = true;
      response.socket?.destroy();
    });
    const answered = () => app.received.slice(1).map((request) => (JSON.parse(request.body.toString()) as { id: string }).id);
    try {
      const running = await inspector({ forwarding: { enabled: true, target: app.url('/webhooks'), mirror: false } });
      expect((await deliver(running.url, eventBody('evt_reset'))).status).toBe(200);
      await expect.poll(answered, { timeout: 20_000 }).toEqual(['evt_reset']);
      await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(0);
      const [delivery] = running.inspector.listDeliveries();
      const attempts = running.inspector.getDelivery(delivery?.id ?? 0)?.attempts ?? [];
      expect(attempts.some((attempt) => attempt.queued && attempt.status === null)).toBe(true);
      expect(attempts[0]).toMatchObject({ status: 200, delivered: true });
    } finally {
      await app.close();
    }
  });

  it('sends what waits to the new target when the target is changed to a listening app', async () => {
    const port = await freePort();
    const running = await inspector({ forwarding: { enabled: true, target: `http://127.0.0.1:${port}/webhooks`, mirror: false } });
    for (const id of ids.slice(0, 2)) expect((await deliver(running.url, eventBody(id))).status).toBe(200);
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(2);

    // The developer sees the app is on another port and points forwarding at it.
    const target = await app();
    running.inspector.setForwarding({ enabled: true, target: target.url('/webhooks'), mirror: false });
    expect((await deliver(running.url, eventBody(ids[2] as string))).status).toBe(200);

    await expect.poll(() => target.received.length, { timeout: 5_000 }).toBe(3);
    expect(target.received.map(idOf)).toEqual(ids);
    // The last row leaves the queue once its answer is back, a moment after the app saw the request.
    await expect.poll(() => running.inspector.getForwarding().queue.count).toBe(0);
  });

  it('keeps them across a restart of Hooklens, and sends them in order once the app listens', async () => {
    const port = await freePort();
    const dir = tempDir();
    scope.defer(() => dir.cleanup());
    const config: InspectorConfig = {
      dataDir: dir.path,
      runtimeSecrets: [{ label: 'current', value: SECRET }],
      receiver: { port: 0 },
      forwarding: { enabled: true, target: `http://127.0.0.1:${port}/webhooks`, mirror: false },
    };

    const before = new Inspector(config);
    await before.start();
    for (const id of ids) expect((await deliver(before.receiverUrl as string, eventBody(id))).status).toBe(200);
    await expect.poll(() => before.getForwarding().queue.count).toBe(3);
    await before.stop();

    const after = new Inspector(config);
    scope.defer(() => after.stop());
    await after.start();
    expect(after.getForwarding().queue.items.map((item) => item.deliveryId)).toEqual([1, 2, 3]);

    const target = await app(undefined, port);
    await expect.poll(() => target.received.length, { timeout: 20_000 }).toBe(3);
    expect(target.received.map(idOf)).toEqual(ids);
    await expect.poll(() => after.getForwarding().queue.count).toBe(0);
    expect(after.listDeliveries().map((delivery) => delivery.lastAttempt?.delivered)).toEqual([true, true, true]);
  });
});

/**
 * Takes over unhandled promise rejections for one test, so that one is an assertion of the test
 * (not an error of the whole run), and hands them back after.
 */
function takeUnhandledRejections() {
  const saved = process.listeners('unhandledRejection');
  const caught: unknown[] = [];
  const listener = (reason: unknown) => void caught.push(reason);
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', listener);
  return {
    caught,
    restore() {
      process.off('unhandledRejection', listener);
      for (const original of saved) process.on('unhandledRejection', original);
    },
  };
}

describe('stopping Hooklens while a forward is in flight', () => {
  /** An app that holds every request until released, then answers 200 at once. */
  async function holdingApp(port?: number) {
    const held: ServerResponse[] = [];
    let holding = true;
    const started = await app((_request, response) => (holding ? void held.push(response) : response.end('ok')), port);
    return {
      ...started,
      release() {
        holding = false;
        for (const response of held.splice(0)) if (!response.destroyed) response.end('ok');
      },
    };
  }

  function queuedIds(dataDir: string): number[] {
    const db = new Database(join(dataDir, 'hooklens.db'), { readonly: true });
    try {
      return (db.prepare('SELECT delivery_id FROM forward_queue ORDER BY delivery_id').all() as { delivery_id: number }[]).map((row) => row.delivery_id);
    } finally {
      db.close();
    }
  }

  it.each([
    ['a forward from the queue', true],
    ['a live forward', false],
  ])('%s: stop cuts it cleanly, keeps it queued on disk, and the next start sends it', async (_name, fromQueue) => {
    const port = fromQueue ? await freePort() : undefined;
    let target = fromQueue ? null : await holdingApp();
    const dir = tempDir();
    scope.defer(() => dir.cleanup());
    const reported: { event: string; message: string }[] = [];
    const config: InspectorConfig = {
      dataDir: dir.path,
      runtimeSecrets: [{ label: 'current', value: SECRET }],
      receiver: { port: 0 },
      forwarding: { enabled: true, target: `http://127.0.0.1:${port ?? target?.port}/webhooks`, mirror: false },
    };
    const deps = { reportListenerError: (error: unknown, event: string) => void reported.push({ event, message: (error as Error).message }) };
    const first = new Inspector(config, deps);
    let firstStopped = false;
    scope.defer(() => (firstStopped ? undefined : first.stop()));
    await first.start();
    const body = eventBody('evt_stop');
    const probe = probeConnects();
    const unhandled = takeUnhandledRejections();
    try {
      expect((await deliver(first.receiverUrl as string, body)).status).toBe(200);
      if (fromQueue) {
        await expect.poll(() => first.getForwarding().queue.count).toBe(1);
        target = await holdingApp(port);
      }
      const held = target as Awaited<ReturnType<typeof holdingApp>>;
      // The forward (the queue's retry, or the live one) has reached the app, which holds it.
      await expect.poll(() => held.received.length, { timeout: 20_000 }).toBe(1);
      const socket = probe.sockets.at(-1);
      expect(socket?.remotePort).toBe(held.port);
      await first.stop();
      firstStopped = true;
      // The app answers only now, after Hooklens stopped and closed its database.
      held.release();
      await expect.poll(() => socket?.destroyed).toBe(true);
      // One turn of the loop: whatever that answer set off has run (a rejection would be reported by now).
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled.caught.map((reason) => (reason instanceof Error ? reason.message : String(reason)))).toEqual([]);
      expect(reported).toEqual([]);
    } finally {
      unhandled.restore();
      probe.restore();
    }
    expect(queuedIds(dir.path)).toEqual([1]);

    const second = new Inspector(config, deps);
    scope.defer(() => second.stop());
    await second.start();
    // Sent again (handlers are idempotent by event id): the same bytes, and the queue empties.
    const app = target as Awaited<ReturnType<typeof holdingApp>>;
    await expect.poll(() => app.received.length, { timeout: 20_000 }).toBe(2);
    expect(app.received[1]?.body.equals(body)).toBe(true);
    await expect.poll(() => second.getForwarding().queue.count).toBe(0);
    expect(second.listDeliveries()[0]?.lastAttempt).toEqual({ kind: 'forward', status: 200, delivered: true, queued: false, ok: true });
    expect(reported).toEqual([]);
  });
});
