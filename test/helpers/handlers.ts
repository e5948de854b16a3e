import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Webhook handlers as developers write them, right and wrong, each a real HTTP server on
 * 127.0.0.1. They are written here from the spec, independently of Hooklens' own signing code,
 * so a check or a simulation is judged against handlers it did not help build.
 *
 * Every handler keeps a log of the requests it received (with the status it answered) and a
 * side-effect counter: the "work" it did, served at GET /count as {"count": n} (the shape
 * `hooklens check --count-url` reads).
 */

const SIGNATURE_HEADER = 'x-reviewsense-signature';

/** One request as the handler received it. */
export interface LoggedRequest {
  method: string;
  path: string;
  /** The X-ReviewSense-Signature header as received, or null when absent. */
  signature: string | null;
  /** The raw body bytes. */
  body: Buffer;
  /** Every header as received: [name, value, …], each value one character per byte (Node's rawHeaders). */
  rawHeaders: string[];
  /** The event's `id` and `type` when the body parses as an event, else null. */
  eventId: string | null;
  type: string | null;
  /** What the handler answered (0 until it has answered). */
  status: number;
}

export interface HandlerState {
  secret: string;
  /** Event ids processed so far. */
  seen: Set<string>;
  /** Signed POSTs handled so far, this one included (for "fail the first N tries"). */
  tries: number;
  /** Does the event's work once per event id (idempotent); events without an id always count. */
  processOnce: (eventId: string | null) => void;
  /** Does the work regardless of the id (not idempotent). */
  processAlways: () => void;
  /** Waits `ms` (a sleep inside the handler, cleared when the handler closes). */
  sleep: (ms: number) => Promise<void>;
  /** Runs `work` in `ms`, after the answer has gone (dropped if the handler closes first). */
  later: (ms: number, work: () => void) => void;
}

/** How a handler answers a POST: the status code. */
export type Behaviour = (request: LoggedRequest, state: HandlerState) => number | Promise<number>;

export interface WebhookHandler {
  port: number;
  /** Where to send webhooks. */
  url: string;
  /** GET: the side-effect count, as {"count": n}. */
  countUrl: string;
  /** Every POST received, in arrival order. */
  requests: LoggedRequest[];
  /** The side effects so far. */
  count: () => number;
  /** Changes how the handler answers from now on (state, log and count are kept). */
  use: (behaviour: Behaviour) => void;
  close: () => Promise<void>;
}

// ── Verification, as the spec describes it and as developers get it wrong ──────────────────

function hmacHex(secret: string, data: Buffer): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

/** The spec's check done right: HMAC over the raw bytes, a length check, timingSafeEqual. */
export function verifiesRaw(raw: Buffer, header: string | null, secret: string): boolean {
  if (header === null) return false;
  const expected = Buffer.from(hmacHex(secret, raw));
  const given = Buffer.from(header);
  if (given.length !== expected.length) return false;
  return timingSafeEqual(expected, given);
}

/** The classic mistake: HMAC over JSON.stringify(JSON.parse(raw)) instead of the raw bytes. */
function verifiesReserialised(raw: Buffer, header: string | null, secret: string): boolean {
  let compact: Buffer;
  try {
    compact = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
  } catch {
    return false;
  }
  return verifiesRaw(compact, header, secret);
}

/** Python's json.dumps with its defaults: ", " and ": " between items, non-ASCII as \uXXXX. */
function pythonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([key, item]) => `${pythonDumps(key)}: ${pythonDumps(item)}`).join(', ')}}`;
  }
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Flask's classic mistake: HMAC over json.dumps(request.get_json()), which is never the bytes sent. */
function verifiesJsonDumps(raw: Buffer, header: string | null, secret: string): boolean {
  let dumped: Buffer;
  try {
    dumped = Buffer.from(pythonDumps(JSON.parse(raw.toString('utf8'))));
  } catch {
    return false;
  }
  return verifiesRaw(dumped, header, secret);
}

// ── Behaviours ───────────────────────────────────────────────────────────────────────────────

export const behaviours = {
  /** Verifies the raw body, refuses forgeries with 401, processes each event id once, answers 200. */
  correct: ((request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** No verification at all. */
  acceptsAnything: ((request, state) => {
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Only checks that the signature header is there. */
  checksPresenceOnly: ((request, state) => {
    if (request.signature === null) return 401;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Only checks that the header is 64 lower-case hex characters. */
  checksFormatOnly: ((request, state) => {
    if (request.signature === null || !/^[0-9a-f]{64}$/.test(request.signature)) return 401;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** HMAC of JSON.stringify(JSON.parse(raw)) (length-checked, timingSafeEqual). */
  verifiesReserialisedJson: ((request, state) => {
    if (!verifiesReserialised(request.body, request.signature, state.secret)) return 401;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Correct, but takes 11 s (past ReviewSense's 10-s limit) to answer a genuine event of `type`. */
  slowOn:
    (type: string): Behaviour =>
    async (request, state) => {
      if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
      state.processOnce(request.eventId);
      if (request.type === type) await state.sleep(11_000);
      return 200;
    },

  /** Correct, but every genuine event takes `ms` (12 s: past ReviewSense's 10-s limit) before the answer. */
  slowOnEvery:
    (ms: number): Behaviour =>
    async (request, state) => {
      if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
      state.processOnce(request.eventId);
      await state.sleep(ms);
      return 200;
    },

  /**
   * Correct, and answers first, then works (the advice for slow handlers): the event is
   * processed 300–800 ms after the 200, as a queue worker would, once per event id.
   */
  answerThenWork: ((request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    state.later(300 + (state.tries % 6) * 100, () => state.processOnce(request.eventId));
    return 200;
  }) satisfies Behaviour,

  /**
   * Verifies right, but dedupes with check-then-insert across an await ("seen?", a database round
   * trip, then insert): two deliveries of one event that arrive at once both pass the check.
   */
  racyDedupe: (async (request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    if (request.eventId !== null && state.seen.has(request.eventId)) return 200;
    // A database round trip, made long enough that two deliveries sent at once always overlap here.
    await state.sleep(200);
    if (request.eventId !== null) state.seen.add(request.eventId);
    state.processAlways();
    return 200;
  }) satisfies Behaviour,

  /** Flask's `hmac(secret, json.dumps(request.get_json()))`: refuses every genuine event with 401. */
  verifiesJsonDumps: ((request, state) => {
    if (!verifiesJsonDumps(request.body, request.signature, state.secret)) return 401;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Correct, but inserts the event id under a unique constraint and lets the violation become a 500. */
  fails500OnRedelivery: ((request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    if (request.eventId !== null && state.seen.has(request.eventId)) return 500;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Correct, but answers 500 to genuine quota.* events (it "does not handle" them). */
  fails500OnQuota: ((request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    if (request.type?.startsWith('quota.')) return 500;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Correct, but answers 409 Conflict to an event id it has already seen. */
  conflictOnRedelivery: ((request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    if (request.eventId !== null && state.seen.has(request.eventId)) return 409;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Correct answers, but does the work again for every delivery, even of a seen event id. */
  notIdempotent: ((request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    if (request.eventId !== null) state.seen.add(request.eventId);
    state.processAlways();
    return 200;
  }) satisfies Behaviour,

  /** Correct, but answers 500 to the first `n` genuine deliveries (an outage that ends). */
  failsFirst:
    (n: number): Behaviour =>
    (request, state) => {
      if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
      if (state.tries <= n) return 500;
      state.processOnce(request.eventId);
      return 200;
    },

  /** Answers `status` to everything (500: an endpoint that is down). */
  always:
    (status: number): Behaviour =>
    () =>
      status,
};

// ── The server ───────────────────────────────────────────────────────────────────────────────

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function eventOf(raw: Buffer): { id: string | null; type: string | null } {
  try {
    const parsed = JSON.parse(raw.toString('utf8')) as { id?: unknown; type?: unknown };
    return { id: typeof parsed.id === 'string' ? parsed.id : null, type: typeof parsed.type === 'string' ? parsed.type : null };
  } catch {
    return { id: null, type: null };
  }
}

/** Starts a handler with `behaviour` on a free loopback port. POST to any path; GET /count. */
export async function startHandler(behaviour: Behaviour, secret: string): Promise<WebhookHandler> {
  let current = behaviour;
  let count = 0;
  const requests: LoggedRequest[] = [];
  const sleeping = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();
  const pending = new Set<NodeJS.Timeout>();
  const state: HandlerState = {
    secret,
    seen: new Set(),
    tries: 0,
    processOnce(eventId) {
      if (eventId !== null && state.seen.has(eventId)) return;
      if (eventId !== null) state.seen.add(eventId);
      count += 1;
    },
    processAlways() {
      count += 1;
    },
    sleep(ms) {
      return new Promise((resolve) => {
        const entry = {
          timer: setTimeout(() => {
            sleeping.delete(entry);
            resolve();
          }, ms),
          wake: () => resolve(),
        };
        sleeping.add(entry);
      });
    },
    later(ms, work) {
      const timer = setTimeout(() => {
        pending.delete(timer);
        work();
      }, ms);
      pending.add(timer);
    },
  };

  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      const body = await readBody(request);
      const path = request.url ?? '/';
      if (request.method === 'GET' && path === '/count') {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ count }));
        return;
      }
      const header = request.headers[SIGNATURE_HEADER];
      const { id, type } = eventOf(body);
      const logged: LoggedRequest = { method: request.method ?? '', path, signature: typeof header === 'string' ? header : null, body, rawHeaders: request.rawHeaders, eventId: id, type, status: 0 };
      requests.push(logged);
      if (verifiesRaw(body, logged.signature, secret)) state.tries += 1;
      const status = await current(logged, state);
      logged.status = status;
      if (response.destroyed) return;
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' }).end(status < 300 ? 'ok' : `refused (${status})`);
    })().catch(() => response.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://127.0.0.1:${port}/webhooks/reviewsense`,
    countUrl: `http://127.0.0.1:${port}/count`,
    requests,
    count: () => count,
    use: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const entry of sleeping) {
          clearTimeout(entry.timer);
          entry.wake();
        }
        sleeping.clear();
        for (const timer of pending) clearTimeout(timer);
        pending.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The handlers by name, each started on its own port with `secret`. */
export const handlers = {
  correct: (secret: string) => startHandler(behaviours.correct, secret),
  acceptsAnything: (secret: string) => startHandler(behaviours.acceptsAnything, secret),
  checksPresenceOnly: (secret: string) => startHandler(behaviours.checksPresenceOnly, secret),
  checksFormatOnly: (secret: string) => startHandler(behaviours.checksFormatOnly, secret),
  verifiesReserialisedJson: (secret: string) => startHandler(behaviours.verifiesReserialisedJson, secret),
  slowOn: (type: string, secret: string) => startHandler(behaviours.slowOn(type), secret),
  slowOnEvery: (ms: number, secret: string) => startHandler(behaviours.slowOnEvery(ms), secret),
  answerThenWork: (secret: string) => startHandler(behaviours.answerThenWork, secret),
  racyDedupe: (secret: string) => startHandler(behaviours.racyDedupe, secret),
  verifiesJsonDumps: (secret: string) => startHandler(behaviours.verifiesJsonDumps, secret),
  fails500OnRedelivery: (secret: string) => startHandler(behaviours.fails500OnRedelivery, secret),
  /** A correct handler configured with another secret than `secret` (a copy-paste from the wrong endpoint). */
  wrongSecret: (secret: string) => startHandler(behaviours.correct, `${secret}_from_another_endpoint`),
  fails500OnQuota: (secret: string) => startHandler(behaviours.fails500OnQuota, secret),
  conflictOnRedelivery: (secret: string) => startHandler(behaviours.conflictOnRedelivery, secret),
  notIdempotent: (secret: string) => startHandler(behaviours.notIdempotent, secret),
  failsFirst: (n: number, secret: string) => startHandler(behaviours.failsFirst(n), secret),
  always: (status: number, secret: string) => startHandler(behaviours.always(status), secret),
};
