import type { Attempt } from '../../../shared/attempt';
import type { DeliveryDetail } from '../../../shared/delivery';
import { base64ToBytes, utf8OrNull } from './bytes';

/** Headers curl sets itself, or that would be wrong for a re-send. */
const SKIPPED = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'accept-encoding']);

export interface CurlRequest {
  method: string;
  headers: readonly [string, string][];
  /** The exact bytes, base64; null or empty: no body. */
  bodyBase64: string | null;
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A curl command that sends this method, these headers and these exact bytes to `url`. */
export function requestCurl(request: CurlRequest, url: string): string {
  const lines = [`curl -X ${request.method} ${shellQuote(url)}`];
  for (const [name, value] of request.headers) {
    if (!SKIPPED.has(name.toLowerCase())) lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (request.bodyBase64) {
    const text = utf8OrNull(base64ToBytes(request.bodyBase64));
    // Binary bodies go through base64 so the bytes survive the shell untouched; so does a body
    // starting with "@", which curl would otherwise read as the name of a local file to send.
    const literal = text !== null && !text.includes('\0') && !text.startsWith('@');
    lines.push(literal ? `  --data-binary ${shellQuote(text)}` : `  --data-binary @<(printf %s ${shellQuote(request.bodyBase64)} | base64 -d)`);
  }
  return lines.join(' \\\n');
}

/** A curl command that re-sends this delivery's exact bytes and headers to `url`. */
export function toCurl(delivery: DeliveryDetail, url: string): string {
  return requestCurl(delivery, url);
}

/** A curl command that sends what an outgoing request (a check probe, a replay) sent, to the same target. */
export function attemptCurl(attempt: Attempt): string {
  return requestCurl({ method: attempt.method, headers: attempt.requestHeaders, bodyBase64: attempt.requestBodyBase64 }, attempt.target);
}
