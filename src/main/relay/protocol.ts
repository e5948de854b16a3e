import type { SignatureStatus } from '../../shared/reviewsense/catalogue';
import { SIGNATURE_STATUSES } from '../../shared/reviewsense/catalogue';
import type { RelayRow } from '../store/relay-stream-repository';
import type { HeaderPair } from '../util/header-pairs';

/**
 * The relay protocol (README, "The relay protocol"): Server-Sent Events on one path, `hello` first,
 * then one `delivery` per stored delivery with `id:` its relay id, oldest first; `gap` when the
 * relay's retention deleted some a subscriber had not had; `revoked` before a revoked token's
 * stream is cut; `: heartbeat` comments while there is nothing to send.
 */
export const STREAM_PATH = '/relay/v1/stream';

export interface Hello {
  /** The relay's identity: ids belong to it (a relay whose database was replaced has another). */
  relay: string;
  /** The newest delivery id the relay has given. */
  head: number;
  /** The oldest delivery it still keeps; null when it keeps none. */
  oldest: number | null;
  /** The stream carries deliveries after this id. */
  after: number;
  heartbeatMs: number;
}

export interface Gap {
  /** The last id the subscriber had. */
  after: number;
  /** The next id it gets. */
  next: number;
  /** How many the relay deleted (its --keep) before they could be streamed. */
  missed: number;
}

/** One relayed delivery, as received: header text pairs, exact bytes in base64. */
export interface RelayedDelivery {
  id: number;
  receivedAt: number;
  method: string;
  path: string;
  /** Text pairs as received (UTF-8 decoded where the bytes are UTF-8). */
  headers: HeaderPair[];
  /** Each value's exact bytes in base64, when some value is not ASCII; null when `headers` is exact. */
  rawHeadersBase64: HeaderPair[] | null;
  /** Null when the relay refused the body as too large (413). */
  bodyBase64: string | null;
  bodySize: number;
  remoteAddress: string | null;
  /** The relay's own verdict (against its secrets, if any); subscribers verify with theirs. */
  signature: SignatureStatus;
  /** What the relay answered ReviewSense. */
  status: number;
  rejection: string | null;
  /** The newest id the relay had when this was sent: how far behind the subscriber is. */
  head: number;
}

export const HEARTBEAT = Buffer.from(': heartbeat\n\n');

/** One event; JSON never holds a raw newline, so `data` is one line. */
export function encodeEvent(event: string, data: unknown, id?: number): Buffer {
  return Buffer.from(`event: ${event}\n${id !== undefined ? `id: ${id}\n` : ''}data: ${JSON.stringify(data)}\n\n`);
}

/** A stored row as its `delivery` event. The stored header JSON is spliced in as is: it is already JSON. */
export function encodeDelivery(row: RelayRow, head: number): Buffer {
  const raw = row.raw_headers ? (JSON.parse(row.raw_headers) as HeaderPair[]).map(([name, value]) => [name, Buffer.from(value, 'latin1').toString('base64')]) : null;
  const data =
    `{"id":${row.id},"receivedAt":${row.received_at},"method":${JSON.stringify(row.method)},"path":${JSON.stringify(row.path)},` +
    `"headers":${row.headers},"rawHeadersBase64":${JSON.stringify(raw)},"bodyBase64":${row.body ? `"${row.body.toString('base64')}"` : 'null'},` +
    `"bodySize":${row.body_size},"remoteAddress":${JSON.stringify(row.remote_address)},"signature":"${row.signature_status}",` +
    `"status":${row.response_status},"rejection":${JSON.stringify(row.rejection)},"head":${head}}`;
  return Buffer.from(`event: delivery\nid: ${row.id}\ndata: ${data}\n\n`);
}

/** The relay sent something this Hooklens cannot read (another version, or not a relay). */
export class RelayProtocolError extends Error {
  override name = 'RelayProtocolError';
}

const isPairs = (value: unknown): value is HeaderPair[] =>
  Array.isArray(value) && value.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === 'string' && typeof pair[1] === 'string');
const isId = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;
const isText = (value: unknown): value is string | null => value === null || typeof value === 'string';

function parse(event: string, data: string): Record<string, unknown> {
  try {
    const value = JSON.parse(data) as unknown;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // Said below.
  }
  throw new RelayProtocolError(`The relay sent a "${event}" event that is not a JSON object.`);
}

function need(ok: boolean, event: string, field: string): void {
  if (!ok) throw new RelayProtocolError(`The relay sent a "${event}" event whose ${field} this Hooklens cannot read (is the relay another version?).`);
}

export function decodeHello(data: string): Hello {
  const hello = parse('hello', data);
  need(typeof hello.relay === 'string' && hello.relay !== '', 'hello', 'relay');
  need(isId(hello.head) && isId(hello.after) && isId(hello.heartbeatMs), 'hello', 'head, after or heartbeatMs');
  need(hello.oldest === null || isId(hello.oldest), 'hello', 'oldest');
  return hello as unknown as Hello;
}

export function decodeGap(data: string): Gap {
  const gap = parse('gap', data);
  need(isId(gap.after) && isId(gap.next) && isId(gap.missed), 'gap', 'after, next or missed');
  return gap as unknown as Gap;
}

export function decodeDelivery(data: string): RelayedDelivery {
  const d = parse('delivery', data);
  need(isId(d.id) && isId(d.receivedAt) && isId(d.bodySize) && isId(d.head), 'delivery', 'id, receivedAt, bodySize or head');
  need(typeof d.method === 'string' && typeof d.path === 'string', 'delivery', 'method or path');
  need(isPairs(d.headers) && (d.rawHeadersBase64 === null || isPairs(d.rawHeadersBase64)), 'delivery', 'headers');
  need(isText(d.bodyBase64) && isText(d.remoteAddress) && isText(d.rejection), 'delivery', 'body, remoteAddress or rejection');
  need((SIGNATURE_STATUSES as readonly unknown[]).includes(d.signature) && Number.isInteger(d.status), 'delivery', 'signature or status');
  return d as unknown as RelayedDelivery;
}

/**
 * The stream URL for what a user gives: the relay's address (`https://relay.example.com`, or with
 * the prefix a proxy serves it under) or its stream URL itself. Throws a sentence for anything else.
 */
export function relayStreamUrl(given: string): string {
  let url: URL;
  try {
    url = new URL(given.trim());
  } catch {
    throw new Error(`"${given}" is not a URL; give the relay's address, e.g. https://relay.example.com.`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`The relay URL must start with http:// or https://, got "${given}".`);
  if (url.username || url.password) throw new Error('The relay URL must not carry a user or password; give the token with --relay-token.');
  const base = url.pathname.endsWith(STREAM_PATH) ? url.pathname.slice(0, -STREAM_PATH.length) : url.pathname;
  return `${url.origin}${base.replace(/\/+$/, '')}${STREAM_PATH}`;
}
