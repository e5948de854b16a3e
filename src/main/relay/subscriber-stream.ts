import type { ServerResponse } from 'node:http';
import { encodeEvent, HEARTBEAT, type Gap } from './protocol';

/** What a subscriber's stream reads: the hub's view of the database and its shared encodings. */
export interface StreamSource {
  /** The newest committed id. */
  head(): number;
  /** The stored delivery after `id` (the next id when it is known to be there, without a read). */
  nextId(after: number): number | null;
  /** A delivery's `delivery` event, encoded; null when it was deleted meanwhile. */
  encoded(id: number): Buffer | null;
}

/** One turn of a stream: the events after a cursor, as one chunk, and the cursor after them. */
export interface Turn {
  chunk: Buffer;
  cursor: number;
  /** A full turn was taken: there may be more right away. */
  more: boolean;
}

/** The turns taken in one synchronous round, by the cursor they start from (null: nothing follows it). */
export type SharedTurns = Map<number, Turn | null>;

/** Events (and bytes) written per turn at most: one subscriber catching up never holds the thread for long. */
const PER_TURN = 128;
const BATCH_BYTES = 256 * 1024;

/**
 * One subscriber's stream: a cursor in the database, not a buffer. It writes what follows the
 * cursor, a turn's worth at a time, until the socket says it is full, then waits for 'drain'; so a
 * slow or stalled subscriber holds at most one turn's write (≤ 256 KiB, or one larger event) beyond
 * its socket's own buffer, and nobody else waits for it.
 */
export function createSubscriberStream(options: { res: ServerResponse; after: number; source: StreamSource; clock: () => number; onEnd: (reason: string) => void }) {
  const { res, source, clock } = options;
  let cursor = options.after;
  let blockedSince: number | null = null;
  let scheduled = false;
  let ended = false;

  res.once('close', () => finish('disconnected'));
  res.on('error', () => finish('connection error'));

  function finish(reason: string): void {
    if (ended) return;
    ended = true;
    options.onEnd(reason);
  }

  /** False when the socket is full: wait for 'drain' before writing more. */
  function write(chunk: Buffer): boolean {
    if (res.write(chunk)) return true;
    blockedSince = clock();
    res.once('drain', () => {
      blockedSince = null;
      wake();
    });
    return false;
  }

  /**
   * What follows `from`, a turn's worth, as one chunk, and where the cursor then stands; null when
   * nothing does. It depends on `from` and the database alone, so streams at the same place in one
   * round may share it (see the hub's round).
   */
  function take(from: number): Turn | null {
    const batch: Buffer[] = [];
    let at = from;
    let bytes = 0;
    let more = false;
    // The gap before `next` (deleted by retention), told once: the cursor moves past it.
    const gap = (next: number) => {
      const told: Gap = { after: at, next, missed: next - at - 1 };
      at = next - 1;
      batch.push(encodeEvent('gap', told));
    };
    for (let taken = 0; taken < PER_TURN && !more; taken++) {
      const head = source.head();
      if (at >= head) break;
      const next = source.nextId(at);
      // Retention deleted everything after the cursor: the subscriber is told, and goes on from the head.
      if (next === null) {
        gap(head + 1);
        break;
      }
      // Ids are dense on the relay (it never deletes but by retention): a hole is deleted deliveries.
      if (next > at + 1) gap(next);
      const event = source.encoded(next);
      if (event === null) continue;
      at = next;
      batch.push(event);
      bytes += event.length;
      more = bytes >= BATCH_BYTES || taken === PER_TURN - 1;
    }
    if (batch.length === 0) return null;
    // The turn's events in one write: fifty subscribers cost fifty writes a round, not fifty per delivery.
    return { chunk: batch.length === 1 ? (batch[0] as Buffer) : Buffer.concat(batch), cursor: at, more };
  }

  /** Writes what follows the cursor; `shared` holds this round's turns by where they start. */
  function pump(shared?: SharedTurns): void {
    scheduled = false;
    if (ended || blockedSince !== null) return;
    let turn = shared?.get(cursor);
    if (turn === undefined) {
      turn = take(cursor);
      shared?.set(cursor, turn);
    }
    if (turn === null) return;
    cursor = turn.cursor;
    if (write(turn.chunk) && turn.more) wake();
  }

  /** Something was committed (or the socket drained): write what follows the cursor, next turn. */
  function wake(): void {
    if (scheduled || ended) return;
    scheduled = true;
    setImmediate(pump);
  }

  return {
    wake,
    /** Writes what follows the cursor now (the hub's round). */
    pump,
    /** The last id written (or told as missed). */
    get cursor() {
      return cursor;
    },
    get ended() {
      return ended;
    },
    /** Since when the socket has been full; null when it takes writes. */
    get blockedSince() {
      return blockedSince;
    },
    /** A comment that keeps proxies from closing an idle stream; skipped while the socket is full. */
    heartbeat(): void {
      if (!ended && blockedSince === null) write(HEARTBEAT);
    },
    /** Ends the stream: a last event when the socket takes it, then the end; cut after a second if it does not finish. */
    end(last: Buffer | null, reason: string): void {
      if (ended) return;
      finish(reason);
      if (blockedSince === null && last) res.write(last);
      if (blockedSince !== null) return void res.destroy();
      res.end();
      setTimeout(() => res.destroy(), 1_000).unref();
    },
  };
}

export type SubscriberStream = ReturnType<typeof createSubscriberStream>;
