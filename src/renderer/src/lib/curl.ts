import type { Attempt } from '../../../shared/attempt';
import type { DeliveryDetail } from '../../../shared/delivery';
import { base64ToBytes, utf8OrNull } from './bytes';
import { shellBytes, shellText, shellWord } from './shell-words';

/** Headers curl sets itself, or that would be wrong for a re-send. */
const SKIPPED = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'accept-encoding']);
/** An HTTP token: a header name curl can send (and never an `@file` for -H to read). */
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export interface CurlRequest {
  method: string;
  /** Header values as their exact bytes: one character per byte (latin1). */
  wireHeaders: readonly [string, string][];
  /** The exact bytes, base64; null or empty: no body. */
  bodyBase64: string | null;
}

const encoder = new TextEncoder();

/** A text value's bytes as UTF-8, one character per byte, as every current client sends it. */
function wireOf(text: string): string {
  return /^[\x00-\x7f]*$/.test(text) ? text : Array.from(encoder.encode(text), (byte) => String.fromCharCode(byte)).join('');
}

/** `-H` for one header: its exact bytes (curl drops a header given as "Name:", so an empty one is "Name;"). */
function headerArgument(name: string, wire: string): string {
  const line = wire === '' ? `${name};` : `${name}: ${wire}`;
  return `-H ${shellBytes(Uint8Array.from(line, (char) => char.charCodeAt(0) & 0xff), true)}`;
}

/** A curl command (bash or zsh) that sends this method, these headers and these exact bytes to `url`. */
export function requestCurl(request: CurlRequest, url: string): string {
  // A URL that does not start with a scheme goes after --url, so curl never reads it as an option.
  const target = /^[A-Za-z][A-Za-z0-9+.-]*:/.test(url) ? shellWord(url, true) : `--url ${shellWord(url, true)}`;
  const lines = [`curl -X ${shellWord(request.method)} ${target}`];
  for (const [name, wire] of request.wireHeaders) {
    if (!SKIPPED.has(name.toLowerCase()) && TOKEN.test(name)) lines.push(`  ${headerArgument(name, wire)}`);
  }
  if (request.bodyBase64) {
    const text = utf8OrNull(base64ToBytes(request.bodyBase64));
    // Text goes as written; anything else (binary, a control character, a body starting with "@",
    // which curl would read as the name of a local file to send) through base64, byte-exact.
    const literal = text !== null && !text.startsWith('@') ? shellText(text) : null;
    lines.push(literal !== null ? `  --data-binary ${literal}` : `  --data-binary @<(printf %s ${shellWord(request.bodyBase64, true)} | base64 -d)`);
  }
  return lines.join(' \\\n');
}

/** A curl command that re-sends this delivery's exact bytes and headers to `url`. */
export function toCurl(delivery: DeliveryDetail, url: string): string {
  const wireHeaders = delivery.rawHeaders ?? delivery.headers.map(([name, value]): [string, string] => [name, wireOf(value)]);
  return requestCurl({ method: delivery.method, wireHeaders, bodyBase64: delivery.bodyBase64 }, url);
}

/** A curl command that sends what an outgoing request (a check probe, a replay) sent, to the same target. */
export function attemptCurl(attempt: Attempt): string {
  return requestCurl({ method: attempt.method, wireHeaders: attempt.requestHeaders.map(([name, value]) => [name, wireOf(value)]), bodyBase64: attempt.requestBodyBase64 }, attempt.target);
}
