import type { IncomingMessage } from 'node:http';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createSseParser, type SseEvent } from './sse-parser';

/** The relay refused this token (401, 403, or `revoked` on the stream), or is no relay at all: not retried. */
export class RelayRefused extends Error {
  override name = 'RelayRefused';
}

/** The relay cannot be reached or read now: tried again after a while (its Retry-After, if it said). */
export class RelayUnavailable extends Error {
  override name = 'RelayUnavailable';
  constructor(message: string, readonly retryAfterMs: number | null = null) {
    super(message);
  }
}

export interface RelayConnection {
  /** The stream's events; ends when the relay ends the stream, throws when it breaks. */
  events: AsyncIterable<SseEvent>;
  /** Silence longer than this (no event, no heartbeat) means the relay is gone. */
  setIdleMs(ms: number): void;
  /** Stops reading: the events end (or throw) at once. */
  close(): void;
}

export type ConnectRelay = (url: string, token: string, lastEventId: number | null, signal: AbortSignal) => Promise<RelayConnection>;

const CONNECT_TIMEOUT_MS = 10_000;
/** Until the relay says its heartbeat (in `hello`). */
const FIRST_IDLE_MS = 45_000;
/** A base64 body of the largest size a relay takes (1 GiB) would not fit anyway; this bounds a relay gone wrong. */
const MAX_LINE_BYTES = 128 * 1024 * 1024;

function networkReason(error: NodeJS.ErrnoException, url: URL): string {
  if (error.code === 'ECONNREFUSED') return `Nothing answers at ${url.host} (is the relay running?).`;
  if (error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') return `Cannot find the host ${url.hostname}.`;
  if (error.code === 'ECONNRESET') return 'The connection to the relay was reset.';
  return `Cannot reach the relay: ${error.message}`;
}

async function answerOf(res: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of res) {
    if (text.length < 4096) text += (chunk as Buffer).toString();
  }
  try {
    return String((JSON.parse(text) as { message?: unknown }).message ?? text);
  } catch {
    return text.trim().slice(0, 200);
  }
}

async function refusal(res: IncomingMessage, url: URL): Promise<Error> {
  const status = res.statusCode ?? 0;
  const message = await answerOf(res);
  if (status === 401 || status === 403) return new RelayRefused(message || `The relay answered ${status}.`);
  if (status === 429) return new RelayUnavailable(message, Number(res.headers['retry-after'] ?? 5) * 1000);
  if (status === 404) return new RelayUnavailable(`No relay stream at ${url.href} (404): give the relay's address (https://relay.example.com) or its streamUrl.`);
  // Most likely the relay's webhook URL, whose capture takes any path below it: asking again would
  // store one more delivery there each time, so it is not asked again.
  if (status >= 200 && status < 300) {
    return new RelayRefused(`${url.href} is not a relay's stream (it answered ${status}, not an event stream): give the relay's address (https://relay.example.com) or its streamUrl, not its webhook URL.`);
  }
  return new RelayUnavailable(`The relay answered ${status}${message ? `: ${message}` : ''}.`);
}

function connection(res: IncomingMessage): RelayConnection {
  let idle = FIRST_IDLE_MS;
  async function* events(): AsyncGenerator<SseEvent> {
    const ready: SseEvent[] = [];
    const parser = createSseParser((event) => ready.push(event), MAX_LINE_BYTES);
    const silence = () => res.destroy(new RelayUnavailable(`No word from the relay for ${Math.round(idle / 1000)} s (not even a heartbeat).`));
    let timer = setTimeout(silence, idle);
    try {
      for await (const chunk of res) {
        clearTimeout(timer);
        timer = setTimeout(silence, idle);
        parser.feed(chunk as Buffer);
        while (ready.length > 0) yield ready.shift() as SseEvent;
      }
    } finally {
      clearTimeout(timer);
      res.destroy();
    }
  }
  return { events: events(), setIdleMs: (ms) => void (idle = ms), close: () => res.destroy() };
}

/**
 * Opens a relay's stream (`GET …/relay/v1/stream`, `Authorization: Bearer`, `Last-Event-ID` when
 * resuming). Resolves once the relay answered 200 with an event stream; rejects with RelayRefused
 * (the token) or RelayUnavailable (anything worth trying again).
 */
export const connectRelay: ConnectRelay = (given, token, lastEventId, signal) =>
  new Promise((resolve, reject) => {
    const url = new URL(given);
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream', 'cache-control': 'no-cache' };
    if (lastEventId !== null) headers['last-event-id'] = String(lastEventId);
    const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = request(url, { method: 'GET', headers, agent: false, signal }, (res) => {
      clearTimeout(timer);
      const stream = res.statusCode === 200 && String(res.headers['content-type'] ?? '').startsWith('text/event-stream');
      if (stream) return resolve(connection(res));
      refusal(res, url).then(reject, () => reject(new RelayUnavailable(`The relay answered ${res.statusCode}.`)));
    });
    const timer = setTimeout(() => req.destroy(new RelayUnavailable(`The relay did not answer within ${CONNECT_TIMEOUT_MS / 1000} s.`)), CONNECT_TIMEOUT_MS);
    req.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(error instanceof RelayUnavailable || error.name === 'AbortError' ? error : new RelayUnavailable(networkReason(error, url)));
    });
    req.end();
  });
