import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { DELIVERY_DEADLINE_MS } from '../../shared/reviewsense/catalogue';
import { wirePairs } from '../util/header-pairs';
import { checkLiteralHost, guardedLookup, parseTarget, portOf, TargetRefusedError, type TargetPolicy } from './target-policy';

export interface OutgoingRequest {
  target: string;
  method: string;
  /**
   * Headers to send, in order, as wire pairs: each value's characters are its bytes (latin1, see
   * util/header-pairs.ts). Hop-by-hop ones, Host and Content-Length are set here.
   */
  headers: [string, string][];
  body: Buffer;
}

export interface SentRequest extends OutgoingRequest {
  startedAt: number;
}

export interface Answer {
  status: number | null;
  /** The answer's headers as wire pairs (exact bytes, one character per byte). */
  headers: [string, string][] | null;
  body: Buffer | null;
  truncated: boolean;
  durationMs: number;
  error: string | null;
  /** Nothing accepted the connection (the app is restarting): a forward waits in the queue. */
  refused: boolean;
  /** Hooklens stopped before the answer came: not an answer of the target's at all. */
  aborted: boolean;
  /**
   * The app gave no HTTP answer (refused, reset, timed out): it may be restarting, so a forward
   * waits in the queue. False for a refusal by the target policy, which no retry changes.
   */
  noAnswer: boolean;
  /**
   * Why the request never left: `target`, the target is malformed or not allowed (no retry of this
   * request changes that; a queue waits for the setting to change); `request`, this request itself
   * cannot be put on the wire (a method or header Node refuses). Null when it was sent.
   */
  unsent: 'target' | 'request' | null;
}

export interface SendOptions {
  policy: TargetPolicy;
  clock?: () => number;
  /** ReviewSense's rule: the whole exchange within 10 s. */
  deadlineMs?: number;
  connectTimeoutMs?: number;
  maxResponseBytes?: number;
  /** Aborted when Hooklens stops: the request is cut and its answer marked `aborted`. */
  signal?: AbortSignal;
}

export const MAX_RESPONSE_BYTES = 1024 * 1024;
const CONNECT_TIMEOUT_MS = 3_000;

/** Headers that describe one connection, not the message: never copied to another connection. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'proxy-authorization', 'proxy-authenticate', 'host', 'content-length', 'expect']);

/** The headers as they go on the wire: Host first, the given ones without hop-by-hop, an exact Content-Length. */
export function wireHeaders(url: URL, headers: readonly [string, string][], bodyLength: number): [string, string][] {
  // Every Connection header line is part of one list of headers meant for that connection only.
  const named = new Set(
    headers
      .filter(([name]) => name.toLowerCase() === 'connection')
      .flatMap(([, value]) => value.split(','))
      .map((name) => name.trim().toLowerCase()),
  );
  const kept = headers.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()) && !named.has(name.toLowerCase()));
  return [['Host', url.host], ...kept, ['Content-Length', String(bodyLength)], ['Connection', 'close']];
}

/** An answer for a request that never left. */
function notSent(sent: SentRequest, why: 'target' | 'request', error: string): { sent: SentRequest; answer: Answer } {
  return { sent, answer: { status: null, headers: null, body: null, truncated: false, durationMs: 0, error, refused: false, aborted: false, noAnswer: false, unsent: why } };
}

/** An HTTP token (RFC 9110): what a method and a header name must be. */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** Bytes a header value may hold on the wire: tab, visible ASCII, space, and any byte above 0x7f. */
const BAD_VALUE_CHARACTER = /[^\t\x20-\x7e\x80-\xff]/;

/** Whether Node can write this header (name a token, value bytes only) on a request or an answer. */
export function sendableHeader(name: string, value: string): boolean {
  return TOKEN.test(name) && !BAD_VALUE_CHARACTER.test(value);
}

/**
 * Why Node would refuse to send this request (it throws, synchronously, on these), in a sentence;
 * null when it can be sent. Values are wire text: a character above U+00FF is not a byte.
 */
export function requestProblem(method: string, headers: readonly [string, string][]): string | null {
  if (!TOKEN.test(method)) return `The method ${JSON.stringify(method)} is not an HTTP token, so it cannot be sent.`;
  for (const [name, value] of headers) {
    if (!TOKEN.test(name)) return `The header name ${JSON.stringify(name)} is not an HTTP token, so it cannot be sent.`;
    const bad = BAD_VALUE_CHARACTER.exec(value);
    if (bad) {
      const code = bad[0].codePointAt(0) ?? 0;
      const what = code > 0xff ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}, which is not a byte` : `the control byte 0x${code.toString(16).padStart(2, '0')}`;
      return `The value of header ${name} holds ${what}, so it cannot be sent.`;
    }
  }
  return null;
}

function describeError(error: NodeJS.ErrnoException, url: URL): string {
  if (error instanceof TargetRefusedError) return error.message;
  switch (error.code) {
    case 'ECONNREFUSED':
      return `Connection refused: nothing is listening on ${url.hostname} port ${portOf(url)}. Is your app running?`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot resolve ${url.hostname}.`;
    case 'ECONNRESET':
      return 'The connection was reset before an answer arrived.';
    default:
      return error.message;
  }
}

/**
 * Sends one request exactly as given and reads the answer: bytes with Content-Length (never
 * chunked), no redirect followed, the target judged on its resolved address before connecting,
 * a short connect timeout, a total deadline, and the response body capped.
 */
export function sendRequest(request: OutgoingRequest, options: SendOptions): Promise<{ sent: SentRequest; answer: Answer }> {
  const clock = options.clock ?? Date.now;
  const startedAt = clock();
  const deadlineMs = options.deadlineMs ?? DELIVERY_DEADLINE_MS;
  const cap = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  let url: URL;
  try {
    url = parseTarget(request.target);
    checkLiteralHost(options.policy, url);
  } catch (error) {
    return Promise.resolve(notSent({ ...request, startedAt }, 'target', (error as Error).message));
  }
  const headers = wireHeaders(url, request.headers, request.body.length);
  const sent: SentRequest = { ...request, headers, startedAt };
  const problem = requestProblem(request.method, headers);
  if (problem) return Promise.resolve(notSent(sent, 'request', problem));

  return new Promise((resolve) => {
    let settled = false;
    const finish = (answer: Omit<Answer, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearTimeout(connectTimer);
      options.signal?.removeEventListener('abort', abort);
      resolve({ sent, answer: { ...answer, durationMs: clock() - startedAt } });
    };
    const fail = (error: NodeJS.ErrnoException) =>
      finish({
        status: null,
        headers: null,
        body: null,
        truncated: false,
        error: describeError(error, url),
        refused: error.code === 'ECONNREFUSED',
        aborted: error.code === 'EABORTED',
        noAnswer: error.code !== 'EABORTED' && !(error instanceof TargetRefusedError),
        unsent: error instanceof TargetRefusedError ? 'target' : null,
      });

    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    let outgoing: ReturnType<typeof httpRequest>;
    try {
      outgoing = send(url, {
        method: request.method,
        headers: headers.flat(),
        agent: false,
        lookup: guardedLookup(options.policy, url) as never,
      });
    } catch (error) {
      // Checked above; whatever Node still refuses is this request's problem, never a crash.
      resolve(notSent(sent, 'request', `Node cannot send this request: ${(error as Error).message}`));
      return;
    }
    const deadline = setTimeout(() => outgoing.destroy(Object.assign(new Error(`No answer within ${deadlineMs / 1000} s.`), { code: 'ETIMEDOUT' })), deadlineMs);
    const connectTimer = setTimeout(
      () => outgoing.destroy(Object.assign(new Error(`Could not connect to ${url.host} within ${CONNECT_TIMEOUT_MS / 1000} s.`), { code: 'ECONNECTTIMEOUT' })),
      options.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    );
    outgoing.on('socket', (socket) => {
      if (!socket.connecting) clearTimeout(connectTimer);
      else socket.once('connect', () => clearTimeout(connectTimer));
    });
    outgoing.on('error', fail);
    const abort = () => outgoing.destroy(Object.assign(new Error('Hooklens stopped before the answer arrived.'), { code: 'EABORTED' }));
    if (options.signal?.aborted) abort();
    else options.signal?.addEventListener('abort', abort, { once: true });
    outgoing.on('response', (response: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      let truncated = false;
      const done = () => finish({ status: response.statusCode ?? null, headers: wirePairs(response.rawHeaders), body: Buffer.concat(chunks), truncated, error: null, refused: false, aborted: false, noAnswer: false, unsent: null });
      response.on('data', (chunk: Buffer) => {
        const room = cap - size;
        if (chunk.length > room) {
          if (room > 0) chunks.push(chunk.subarray(0, room));
          size = cap;
          truncated = true;
          // Enough read to judge it; the rest is not kept.
          done();
          response.destroy();
          return;
        }
        chunks.push(chunk);
        size += chunk.length;
      });
      response.on('end', done);
      response.on('error', (error: NodeJS.ErrnoException) => (truncated ? done() : fail(error)));
    });
    outgoing.end(request.body);
  });
}
