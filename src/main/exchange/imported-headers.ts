import { sendableHeader } from '../sender/http-send';
import { exactHeaders, textHeaders, type HeaderPair } from '../util/header-pairs';

/** More than any request Node accepts (2,000 headers, 16 KiB): a file claiming more was not captured. */
const MAX_PAIRS = 2_000;
const MAX_BYTES = 64 * 1024;
const NOT_ASCII = /[^\x00-\x7f]/;

export type ImportedHeaders = { headers: HeaderPair[]; rawHeaders: HeaderPair[] | null } | { problem: string };

function pairsOf(value: unknown, field: string): HeaderPair[] | string {
  if (!Array.isArray(value)) return `${field} is not a list of [name, value] pairs`;
  if (value.length > MAX_PAIRS) return `${field} holds ${value.length} headers, more than the ${MAX_PAIRS} a request can carry`;
  for (const [index, pair] of value.entries()) {
    if (!Array.isArray(pair) || pair.length !== 2 || typeof pair[0] !== 'string' || typeof pair[1] !== 'string') return `${field}[${index}] is not a [name, value] pair of strings`;
  }
  return value as HeaderPair[];
}

/**
 * An imported delivery's headers as the receiver would have stored them: text to read, and the
 * exact bytes when some value is not ASCII. `raw` (an export's `rawHeaders`) is the bytes, one
 * character per byte; without it the bytes are the text as UTF-8, as every current client sends
 * it. Each header must be one a request can carry: a token for a name, and a value of bytes
 * without control characters (CR, LF, NUL…) other than tab.
 */
export function importedHeaders(text: unknown, raw: unknown): ImportedHeaders {
  const given = raw === undefined || raw === null ? null : pairsOf(raw, 'rawHeaders');
  if (typeof given === 'string') return { problem: given };
  const readable = given === null ? pairsOf(text, 'headers') : null;
  if (typeof readable === 'string') return { problem: readable };
  const wire = given ?? exactHeaders(readable as HeaderPair[], null);
  let bytes = 0;
  for (const [name, value] of wire) {
    if (!sendableHeader(name, value)) {
      return { problem: `the header ${JSON.stringify(name.slice(0, 100))} cannot be an HTTP header (a name must be a token; a value, bytes without control characters other than tab)` };
    }
    bytes += name.length + value.length + 4;
  }
  if (bytes > MAX_BYTES) return { problem: `its headers take ${bytes} bytes, more than the ${MAX_BYTES} a request can carry` };
  const exact = wire.some(([, value]) => NOT_ASCII.test(value)) ? wire : null;
  return { headers: given ? textHeaders(given) : (readable as HeaderPair[]), rawHeaders: exact };
}
