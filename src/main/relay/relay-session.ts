import type { NewDelivery } from '../store/deliveries-repository';
import type { RelayCursorsRepository, RelayedPosition } from '../store/relay-cursors-repository';
import { describeFailure } from '../util/supervisor';
import { decodeDelivery, decodeGap, decodeHello, RelayProtocolError, type Gap, type RelayedDelivery } from './protocol';
import { RelayRefused, RelayUnavailable, type ConnectRelay } from './relay-client';

/** Follow the relay again at once (from the place committed now): not a failure. */
export class RelayRestart extends Error {
  override name = 'RelayRestart';
}

export interface SessionDeps {
  cursors: Pick<RelayCursorsRepository, 'get' | 'set' | 'advance'>;
  /** Commits a delivery (resolves once committed). */
  record: (delivery: NewDelivery) => Promise<unknown>;
  toDelivery: (relayed: RelayedDelivery, position: RelayedPosition) => NewDelivery;
  connect: ConnectRelay;
  clock: () => number;
  onConnected: () => void;
  /** The relay's newest id, and the last one committed here. */
  onProgress: (head: number, committed: number) => void;
  onGap: (gap: Gap) => void;
}

/** Deliveries (or bytes of bodies) handed to the writer and not yet committed, at most. */
const MAX_PENDING = 256;
const MAX_PENDING_BYTES = 32 * 1024 * 1024;

/**
 * One connection to a relay: resumes after the last relayed delivery committed here, commits each
 * one with its place in the stream, never one twice, and never one past a delivery that could not be
 * committed. Returns when the relay ends the stream; throws why it stopped otherwise. Before it
 * settles, every delivery handed to the writer has been committed or refused, so the next session
 * reads a cursor that is final.
 */
export async function runSession(streamUrl: string, token: string, deps: SessionDeps, signal: AbortSignal): Promise<void> {
  const cursor = deps.cursors.get(streamUrl);
  const connection = await deps.connect(streamUrl, token, cursor?.lastId ?? null, signal);
  const pending = new Set<Promise<void>>();
  let pendingBytes = 0;
  let failure: unknown = null;
  let relayId: string | null = null;
  let expected = 0;
  let committed = 0;
  let head = 0;

  const write = (relayed: RelayedDelivery, position: RelayedPosition): void => {
    const size = relayed.bodySize;
    pendingBytes += size;
    const done: Promise<void> = deps.record(deps.toDelivery(relayed, position)).then(
      () => {
        committed = Math.max(committed, position.id);
        deps.onProgress(head, committed);
      },
      (error: unknown) => {
        // Nothing after it may be committed: stop reading now.
        failure ??= error;
        connection.close();
      },
    ).finally(() => {
      pending.delete(done);
      pendingBytes -= size;
    });
    pending.add(done);
  };

  try {
    for await (const event of connection.events) {
      if (failure !== null) break;
      if (relayId === null) {
        if (event.event !== 'hello') throw new RelayProtocolError(`The relay's stream did not start with "hello" (got "${event.event}"): is it a Hooklens relay?`);
        const hello = decodeHello(event.data);
        connection.setIdleMs(2 * hello.heartbeatMs + 5_000);
        if (cursor && cursor.relayId !== hello.relay) {
          deps.cursors.set(streamUrl, { relayId: hello.relay, lastId: hello.head }, deps.clock());
          throw new RelayRestart('This relay is not the one followed before (its database was replaced), so its earlier deliveries cannot be told apart: following it from its newest.');
        }
        if (!cursor) deps.cursors.set(streamUrl, { relayId: hello.relay, lastId: hello.after }, deps.clock());
        relayId = hello.relay;
        expected = committed = hello.after;
        head = hello.head;
        // How far behind first, so the word "connected" already says it.
        deps.onProgress(head, committed);
        deps.onConnected();
      } else if (event.event === 'delivery') {
        const relayed = decodeDelivery(event.data);
        head = Math.max(head, relayed.head, relayed.id);
        // Never twice, whatever a relay sends.
        if (relayed.id <= expected) continue;
        write(relayed, { streamUrl, relayId, after: expected, id: relayed.id });
        expected = relayed.id;
        if (pending.size >= MAX_PENDING || pendingBytes >= MAX_PENDING_BYTES) await Promise.all([...pending]);
      } else if (event.event === 'gap') {
        const gap = decodeGap(event.data);
        // What came before the gap is committed first; then the place moves past it, so it is told once.
        await Promise.all([...pending]);
        if (failure !== null) break;
        deps.cursors.advance({ streamUrl, relayId, after: expected, id: gap.next - 1 }, deps.clock());
        expected = committed = gap.next - 1;
        deps.onGap(gap);
        deps.onProgress(head, committed);
      } else if (event.event === 'revoked') {
        throw new RelayRefused(String((JSON.parse(event.data) as { message?: unknown }).message ?? 'The relay revoked this token.'));
      }
    }
  } catch (error) {
    // Closed because a delivery could not be saved: that is the reason, said below.
    if (failure === null) throw error;
  } finally {
    await Promise.all([...pending]);
  }
  if (failure !== null) throw new RelayUnavailable(`A relayed delivery could not be saved here (${describeFailure(failure)}); resuming after the last one saved.`);
  if (signal.aborted) return;
  if (relayId === null) throw new RelayUnavailable('The relay closed the stream before saying hello.');
}
