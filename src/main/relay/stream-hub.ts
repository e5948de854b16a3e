import type { ServerResponse } from 'node:http';
import type { RelayStreamRepository } from '../store/relay-stream-repository';
import { encodeDelivery, encodeEvent, type Hello } from './protocol';
import { createSubscriberStream, type SharedTurns, type SubscriberStream } from './subscriber-stream';

/** A subscriber came or went (the CLI prints it). */
export interface SubscriberChange {
  name: string;
  status: 'connected' | 'disconnected' | 'revoked' | 'stalled';
  /** Where its stream started (connected), or why it ended. */
  after: number | null;
  reason: string | null;
}

/** Encoded events near the head, shared: fifty subscribers at the head cost one read and one encoding. */
const CACHE_BYTES = 16 * 1024 * 1024;
const CACHE_WINDOW = 1_024;
/** An event this large is never cached: it would push out a quarter of the cache. */
const UNCACHED_EVENT_BYTES = CACHE_BYTES / 4;
/** A body's event is about this much larger than the body (base64). */
const EVENT_PER_BODY_BYTE = 4 / 3;
/** What one round reads ahead at most, in bodies' bytes. */
const READ_BYTES = CACHE_BYTES / 2 / EVENT_PER_BODY_BYTE;
/** A body whose event would not be cached is not read ahead. */
const UNCACHED_BODY_BYTES = UNCACHED_EVENT_BYTES / EVENT_PER_BODY_BYTE;
/**
 * Streams are woken at most this often: under load each socket then takes several deliveries in one
 * system call (fifty subscribers cost fifty writes a round, not fifty per commit); when deliveries
 * come one by one, each is sent at once.
 */
const ROUND_MS = 10;

export interface StreamHubOptions {
  source: RelayStreamRepository;
  /** The relay's identity, read at each hello: a database started afresh has a new one. */
  relayId: () => string;
  heartbeatMs: number;
  /** A subscriber whose socket took nothing for this long is cut (it reconnects from its place). */
  stallMs: number;
  clock: () => number;
  onChange: (change: SubscriberChange) => void;
}

/**
 * Every open stream, woken when a delivery is committed. Each reads from the database at its own
 * pace (see subscriber-stream.ts); those at the head find what each round read once, in the cache.
 * Only encodings near the head are kept, within CACHE_BYTES.
 */
export function createStreamHub(options: StreamHubOptions) {
  const { source, clock } = options;
  const streams = new Map<SubscriberStream, { tokenId: number; name: string }>();
  const cache = new Map<number, Buffer>();
  let cacheBytes = 0;
  let head = source.head();
  let lastRound = 0;
  let roundScheduled = false;

  /**
   * The head at the last round: what the streams may send. A delivery committed since waits for
   * the next round (≤ ROUND_MS), which reads it once for every stream; a stream woken meanwhile (its
   * socket drained) does not read it by itself.
   */
  let published = head;

  function remember(id: number, event: Buffer): void {
    if (id <= head - CACHE_WINDOW || event.length >= UNCACHED_EVENT_BYTES) return;
    cache.set(id, event);
    cacheBytes += event.length;
    for (const [oldest, bytes] of cache) {
      if (cacheBytes <= CACHE_BYTES && cache.size <= CACHE_WINDOW) break;
      cache.delete(oldest);
      cacheBytes -= bytes.length;
    }
  }

  function encoded(id: number): Buffer | null {
    const hit = cache.get(id);
    if (hit) return hit;
    const row = source.row(id);
    if (!row) return null;
    const event = encodeDelivery(row, head);
    remember(id, event);
    return event;
  }

  /**
   * What was committed since the last round, in one read, into the cache: the streams at the head
   * then find every new delivery there, and none asks the database for its next id or its row.
   */
  function readNew(): void {
    const from = Math.max(published, head - CACHE_WINDOW);
    published = head;
    // From the lowest cursor among the streams at the head (one waiting for 'drain' too: a write
    // larger than the socket's buffer waits for it, and then wants these); a stream further back
    // reads as it goes.
    let lowest = Infinity;
    for (const stream of streams.keys()) if (stream.cursor >= from) lowest = Math.min(lowest, stream.cursor);
    if (lowest >= head) return;
    let bytes = 0;
    for (const row of source.rowsAfter(lowest, head - lowest)) {
      // Within half the cache, so a round's read never evicts itself; a body too large to cache
      // (or a burst of large ones) is left to the streams, which read it a turn at a time.
      bytes += row.body_size;
      if (bytes > READ_BYTES || row.body_size >= UNCACHED_BODY_BYTES) break;
      if (!cache.has(row.id)) remember(row.id, encodeDelivery(row, head));
    }
  }

  const view = {
    head: () => published,
    // Dense ids: the next one is known to be there when it is cached, without asking the database.
    nextId: (after: number) => (cache.has(after + 1) ? after + 1 : source.nextId(after)),
    encoded,
  };

  /** Opens a stream on a response already checked (token, Last-Event-ID); `after` null: from now on. */
  function open(res: ServerResponse, who: { tokenId: number; name: string }, after: number | null): void {
    const from = after ?? head;
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      // nginx buffers responses unless told not to; an event must reach its subscriber at once.
      'x-accel-buffering': 'no',
    });
    const hello: Hello = { relay: options.relayId(), head, oldest: source.oldest(), after: from, heartbeatMs: options.heartbeatMs };
    res.write(Buffer.concat([Buffer.from('retry: 2000\n'), encodeEvent('hello', hello)]));
    const stream = createSubscriberStream({
      res,
      after: from,
      source: view,
      clock,
      onEnd: (reason) => {
        streams.delete(stream);
        const status = reason === 'revoked' || reason === 'stalled' ? reason : 'disconnected';
        options.onChange({ name: who.name, status, after: null, reason });
      },
    });
    streams.set(stream, who);
    options.onChange({ name: who.name, status: 'connected', after: from, reason: null });
    stream.wake();
  }

  return {
    open,
    /** A delivery was committed: every stream writes what follows its cursor in the next round. */
    committed(id: number): void {
      head = Math.max(head, id);
      // No stream, no round: the next stream opens on a current head.
      if (streams.size === 0) published = head;
      if (roundScheduled || streams.size === 0) return;
      roundScheduled = true;
      const round = () => {
        roundScheduled = false;
        lastRound = clock();
        readNew();
        // Streams at the same cursor write the same bytes: built once a round, for all of them. The
        // round runs in one go, so nothing is committed while they share it.
        const turns: SharedTurns = new Map();
        for (const stream of streams.keys()) stream.pump(turns);
      };
      const wait = lastRound + ROUND_MS - clock();
      if (wait <= 0) setImmediate(round);
      else setTimeout(round, wait);
    },
    /** Heartbeats to the idle streams; a stream full for longer than stallMs is cut. */
    tick(): void {
      const now = clock();
      for (const stream of streams.keys()) {
        if (stream.blockedSince !== null && now - stream.blockedSince > options.stallMs) stream.end(null, 'stalled');
        else stream.heartbeat();
      }
    },
    /** Cuts the streams of tokens no longer active (revoked from another process). */
    keepOnly(active: ReadonlySet<number>): void {
      for (const [stream, who] of streams) {
        if (!active.has(who.tokenId)) stream.end(encodeEvent('revoked', { message: `The token "${who.name}" was revoked on this relay.` }), 'revoked');
      }
    },
    close(reason = 'the relay is stopping'): void {
      for (const stream of [...streams.keys()]) stream.end(null, reason);
    },
    /**
     * The database was replaced (deleted under the relay, and started afresh): its ids start over,
     * so every stream ends, and each subscriber meets the new identity in its next hello.
     */
    restart(): void {
      cache.clear();
      cacheBytes = 0;
      head = source.head();
      published = head;
      for (const stream of [...streams.keys()]) stream.end(null, 'the relay\'s database was replaced');
    },
    count: () => streams.size,
    head: () => head,
  };
}

export type StreamHub = ReturnType<typeof createStreamHub>;
