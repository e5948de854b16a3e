import { afterEach, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../src/shared/api';
import type { DeliverySummary } from '../../src/shared/delivery';
import { sign } from '../../src/main/profile/signature';
import { faultyStore } from '../helpers/faulty-store';
import { post } from '../helpers/http';
import { startInspector, type RunningInspector } from '../helpers/inspector';

const SECRET = 'whsec_test_current';
let running: RunningInspector | undefined;

afterEach(async () => {
  await running?.stop();
  running = undefined;
});

function deliver(url: string, id: string) {
  const body = Buffer.from(JSON.stringify({ id, type: 'webhook.test', created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data: {} }));
  return post(url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(SECRET, body) });
}

describe('Inspector events: a committed delivery keeps its answer', () => {
  it('answers the configured status when a delivery listener throws, and reports the listener', async () => {
    const reported: { event: string; message: string }[] = [];
    running = await startInspector({}, { reportListenerError: (error, event) => reported.push({ event, message: (error as Error).message }) });
    const seen: number[] = [];
    running.inspector.on('delivery', () => {
      throw new Error('the SSE writer broke');
    });
    // A listener after the broken one still runs.
    running.inspector.on('delivery', (delivery) => seen.push(delivery.id));

    const response = await deliver(running.url, 'evt_listener');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, signature: 'valid' });
    expect(running.inspector.listDeliveries().map((delivery) => delivery.eventId)).toEqual(['evt_listener']);
    expect(seen).toHaveLength(1);
    expect(reported).toEqual([{ event: 'delivery', message: 'the SSE writer broke' }]);
  });

  it('answers the configured status when a status listener throws on recovery', async () => {
    const store = faultyStore();
    const reported: string[] = [];
    running = await startInspector({}, { openStore: store.openStore, reportListenerError: (_error, event) => reported.push(event) });
    store.fail('read-only');
    expect((await deliver(running.url, 'evt_refused')).status).toBe(503);
    store.recover();
    running.inspector.on('status', () => {
      throw new Error('renderer gone');
    });
    expect((await deliver(running.url, 'evt_recovered')).status).toBe(200);
    expect(reported).toContain('status');
  });
});

describe('Inspector events: counts never count a delivery twice', () => {
  it('pushes a recovered delivery before the status that counts it, and says through which id it counts', async () => {
    const store = faultyStore();
    running = await startInspector({}, { openStore: store.openStore });
    const events: ({ kind: 'delivery'; delivery: DeliverySummary } | { kind: 'status'; status: AppStatus })[] = [];
    running.inspector.on('delivery', (delivery) => events.push({ kind: 'delivery', delivery }));
    running.inspector.on('status', (status) => events.push({ kind: 'status', status }));

    store.fail('read-only');
    expect((await deliver(running.url, 'evt_a')).status).toBe(503);
    store.recover();
    events.length = 0;
    expect((await deliver(running.url, 'evt_b')).status).toBe(200);

    expect(events.map((event) => event.kind)).toEqual(['delivery', 'status']);
    const [pushed, status] = events as unknown as [{ delivery: DeliverySummary }, { status: AppStatus }];
    expect(status.status.storageError).toBeNull();
    expect(status.status.counts).toMatchObject({ total: 1, throughId: pushed.delivery.id });
  });

  it('keeps throughId at the highest id ever given, after deletes and a clear', async () => {
    running = await startInspector();
    for (const id of ['evt_1', 'evt_2', 'evt_3']) await deliver(running.url, id);
    const [newest] = running.inspector.listDeliveries({ limit: 1 });
    running.inspector.deleteDelivery(newest?.id ?? 0);
    expect(running.inspector.getStatus().counts).toMatchObject({ total: 2, throughId: newest?.id });
    running.inspector.clearDeliveries();
    expect(running.inspector.getStatus().counts).toMatchObject({ total: 0, throughId: newest?.id });
  });
});
