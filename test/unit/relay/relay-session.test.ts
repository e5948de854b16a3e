import { describe, expect, it } from 'vitest';
import { encodeDelivery, encodeEvent } from '../../../src/main/relay/protocol';
import type { ConnectRelay } from '../../../src/main/relay/relay-client';
import { RelayUnavailable } from '../../../src/main/relay/relay-client';
import { relayedDelivery } from '../../../src/main/relay/relayed-delivery';
import { RelayRestart, runSession, type SessionDeps } from '../../../src/main/relay/relay-session';
import { createSseParser, type SseEvent } from '../../../src/main/relay/sse-parser';
import type { NewDelivery } from '../../../src/main/store/deliveries-repository';
import type { RelayRow } from '../../../src/main/store/relay-stream-repository';
import { withTempStore } from '../../helpers/temp-store';

const t = withTempStore();
const STREAM = 'http://127.0.0.1:8790/relay/v1/stream';

function row(id: number): RelayRow {
  const body = Buffer.from(`{"id":"evt_${id}","type":"webhook.test"}`);
  return { id, received_at: 1_000 + id, method: 'POST', path: '/hooks/reviewsense', headers: '[["Content-Type","application/json"]]', raw_headers: null, body, body_size: body.length, remote_address: null, signature_status: 'unchecked', response_status: 200, rejection: null };
}

/** A relay that answers with these bytes and ends the stream; records the Last-Event-ID each connection sent. */
function scriptedRelay(script: (lastEventId: number | null) => Buffer[]) {
  const asked: (number | null)[] = [];
  const connect: ConnectRelay = async (_url, _token, lastEventId) => {
    asked.push(lastEventId);
    const events: SseEvent[] = [];
    const parser = createSseParser((event) => events.push(event), 1 << 20);
    for (const chunk of script(lastEventId)) parser.feed(chunk);
    return { events: (async function* () { yield* events; })(), setIdleMs: () => undefined, close: () => undefined };
  };
  return { connect, asked };
}

const hello = (relay: string, head: number, after: number) => encodeEvent('hello', { relay, head, oldest: 1, after, heartbeatMs: 1000 });

function deps(connect: ConnectRelay, record: (delivery: NewDelivery) => Promise<unknown> = (delivery) => t.store.writeDelivery(delivery)): SessionDeps {
  return {
    cursors: t.store.relayCursors,
    record,
    toDelivery: (relayed, position) => relayedDelivery(relayed, { secrets: [], bodyLimit: 1 << 20, plan: { queueTo: null, mirror: false }, position }),
    connect,
    clock: () => 5,
    onConnected: () => undefined,
    onProgress: () => undefined,
    onGap: () => undefined,
  };
}

const stored = () => t.store.deliveries.list().map((delivery) => delivery.eventId).reverse();

describe('a relay session', () => {
  it('starts a first subscription at the head, then resumes after the last delivery committed, never one twice', async () => {
    const relay = scriptedRelay((after) => (after === null ? [hello('r1', 2, 2), encodeDelivery(row(3), 3)] : [hello('r1', 4, after), encodeDelivery(row(3), 4), encodeDelivery(row(4), 4)]));
    await runSession(STREAM, 'hlr_t', deps(relay.connect), new AbortController().signal);
    await runSession(STREAM, 'hlr_t', deps(relay.connect), new AbortController().signal);
    expect(relay.asked).toEqual([null, 3]);
    expect(stored()).toEqual(['evt_3', 'evt_4']);
    expect(t.store.relayCursors.get(STREAM)).toEqual({ relayId: 'r1', lastId: 4 });
  });

  it('commits nothing past a delivery storage refused, and says why', async () => {
    t.store.relayCursors.set(STREAM, { relayId: 'r1', lastId: 0 }, 1);
    const relay = scriptedRelay((after) => [hello('r1', 4, after ?? 0), ...[1, 2, 3, 4].map((id) => encodeDelivery(row(id), 4))]);
    const refusing = (delivery: NewDelivery) => (delivery.relayed?.id === 2 ? Promise.reject(new Error('the disk is full')) : t.store.writeDelivery(delivery));
    await expect(runSession(STREAM, 'hlr_t', deps(relay.connect, refusing), new AbortController().signal)).rejects.toThrow(RelayUnavailable);
    expect(t.store.relayCursors.get(STREAM)?.lastId).toBe(1);
    expect(stored()).toEqual(['evt_1']);
    // The next session resumes after #1: #2 onwards, once each.
    await runSession(STREAM, 'hlr_t', deps(relay.connect), new AbortController().signal);
    expect(relay.asked).toEqual([0, 1]);
    expect(stored()).toEqual(['evt_1', 'evt_2', 'evt_3', 'evt_4']);
  });

  it('moves past a gap once, so a restart is not told it again', async () => {
    t.store.relayCursors.set(STREAM, { relayId: 'r1', lastId: 1 }, 1);
    const gaps: unknown[] = [];
    const relay = scriptedRelay((after) => [hello('r1', 6, after ?? 0), ...(after === 1 ? [encodeEvent('gap', { after: 1, next: 5, missed: 3 })] : []), encodeDelivery(row(5), 6)].filter((chunk) => after !== 5 || !chunk.includes('evt_5')));
    const session = { ...deps(relay.connect), onGap: (gap: unknown) => gaps.push(gap) };
    await runSession(STREAM, 'hlr_t', session, new AbortController().signal);
    await runSession(STREAM, 'hlr_t', session, new AbortController().signal);
    expect(gaps).toEqual([{ after: 1, next: 5, missed: 3 }]);
    expect(relay.asked).toEqual([1, 5]);
  });

  it('follows a replaced relay (another identity) from its newest, saying so', async () => {
    t.store.relayCursors.set(STREAM, { relayId: 'old', lastId: 40 }, 1);
    const relay = scriptedRelay((after) => [hello('new', 7, after ?? 0)]);
    await expect(runSession(STREAM, 'hlr_t', deps(relay.connect), new AbortController().signal)).rejects.toThrow(RelayRestart);
    expect(t.store.relayCursors.get(STREAM)).toEqual({ relayId: 'new', lastId: 7 });
  });
});
