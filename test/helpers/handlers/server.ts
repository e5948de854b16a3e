// The test handler itself: a real HTTP server on 127.0.0.1 that logs every request, answers with
// its current behaviour and serves its side-effect count at GET /count.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifiesRaw } from './verification';

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
