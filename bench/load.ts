import { request } from 'node:http';
import { eventHeaders, mixedEvent, signedEvent, type SignedEvent } from './events';

/** The slice of autocannon's programmatic API this bench uses (the package ships no types). */
interface AutocannonRequest {
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}
interface AutocannonContext {
  eventId?: string;
}
interface AutocannonResult {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  latency: { p50: number; p99: number };
  statusCodeStats: Record<string, { count: number }>;
}
type Autocannon = (options: Record<string, unknown>, done: (error: Error | null, result: AutocannonResult) => void) => unknown;

const autocannon = require('autocannon') as Autocannon;

export interface LoadOptions {
  url: string;
  secret: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  /** Total number of requests to send. */
  amount?: number;
  /** Every event type, some wrong signatures and retries (see mixedEvent), instead of unique valid `review.analysed`. */
  mix?: boolean;
}

export interface LoadResult {
  connections: number;
  seconds: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  perSecond: number;
  p50: number;
  p99: number;
  statusCodes: Record<string, number>;
  /** Event ids whose request got a 2xx answer. */
  acked: string[];
}

/**
 * Drives `url` with unique signed events (one fresh id and signature per request) and
 * records which ids were acknowledged. Pipelining is 1, so each client has exactly one
 * request in flight and its context names the event the response belongs to.
 */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const acked: string[] = [];
  const path = new URL(options.url).pathname;
  let sent = 0;
  let previous: SignedEvent | null = null;
  const next = (): SignedEvent => {
    if (!options.mix) return signedEvent(options.secret);
    previous = mixedEvent(options.secret, sent++, previous);
    return previous;
  };
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: options.url,
        connections: options.connections,
        pipelining: 1,
        timeout: 10,
        ...(options.amount ? { amount: options.amount } : { duration: options.duration ?? 8 }),
        requests: [
          {
            method: 'POST',
            path,
            setupRequest(req: AutocannonRequest, context: AutocannonContext): AutocannonRequest {
              const event = next();
              context.eventId = event.id;
              return { ...req, method: 'POST', path, headers: { ...req.headers, ...eventHeaders(event) }, body: event.body };
            },
            onResponse(status: number, _body: string, context: AutocannonContext): void {
              if (status >= 200 && status < 300 && context.eventId) acked.push(context.eventId);
            },
          },
        ],
      },
      (error, result) => {
        if (error) return reject(error);
        const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]));
        resolve({
          connections: options.connections,
          seconds: result.duration,
          ok: result['2xx'],
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          perSecond: result['2xx'] / result.duration,
          p50: result.latency.p50,
          p99: result.latency.p99,
          statusCodes,
          acked,
        });
      },
    );
  });
}

/** One signed POST (a fresh connection each time); resolves to the status code. */
export function signedPost(url: string, secret: string): Promise<{ status: number; eventId: string }> {
  const event = signedEvent(secret);
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent: false, headers: { ...eventHeaders(event), 'Content-Length': String(event.body.length) } }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, eventId: event.id }));
    });
    req.on('error', reject);
    req.end(event.body);
  });
}
