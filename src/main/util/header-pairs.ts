/**
 * A header value is bytes. Node hands them over as latin1 text (one character per byte), and
 * writes a value it is given the same way, so a "wire" value below is a string whose character
 * codes are exactly the bytes sent or received (all ≤ 0xff). A "text" value is what a person
 * reads: the bytes decoded as UTF-8 where they are UTF-8.
 */
export type HeaderPair = [string, string];

const utf8 = new TextDecoder('utf-8', { fatal: true });
const NOT_ASCII = /[^\x00-\x7f]/;

/**
 * The text of a wire value: bytes above 0x7f that form valid UTF-8 were sent as UTF-8 (what every
 * current client does), so they are shown and searched as that text. Any other value stays one
 * character per byte.
 */
export function headerText(wire: string): string {
  if (!NOT_ASCII.test(wire)) return wire;
  try {
    return utf8.decode(Buffer.from(wire, 'latin1'));
  } catch {
    return wire;
  }
}

/** Node's rawHeaders ([name, value, name, value, …]) as text pairs, in received order, duplicates kept. */
export function headerPairs(rawHeaders: readonly string[]): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i] as string, headerText(rawHeaders[i + 1] as string)]);
  return pairs;
}

/** Node's rawHeaders as wire pairs: the exact bytes, one character per byte. */
export function wirePairs(rawHeaders: readonly string[]): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i] as string, rawHeaders[i + 1] as string]);
  return pairs;
}

/**
 * The headers of a request as stored: text to read, and the wire pairs only when some value is
 * not ASCII (otherwise the text is the bytes, and nothing more is kept).
 */
export function readHeaders(rawHeaders: readonly string[]): { headers: HeaderPair[]; rawHeaders: HeaderPair[] | null } {
  const headers = headerPairs(rawHeaders);
  for (let i = 1; i < rawHeaders.length; i += 2) {
    if (NOT_ASCII.test(rawHeaders[i] as string)) return { headers, rawHeaders: wirePairs(rawHeaders) };
  }
  return { headers, rawHeaders: null };
}

/**
 * The wire pairs to send for stored headers: the kept bytes when there are any; otherwise the
 * text as UTF-8 (ASCII text is its own bytes; a row from before exact bytes were kept, or a value
 * typed in, goes out as UTF-8, as every current client sends it).
 */
export function exactHeaders(headers: readonly HeaderPair[], rawHeaders: readonly HeaderPair[] | null): HeaderPair[] {
  if (rawHeaders) return rawHeaders.map(([name, value]) => [name, value]);
  return headers.map(([name, value]) => [name, NOT_ASCII.test(value) ? Buffer.from(value, 'utf8').toString('latin1') : value]);
}

/** Text pairs of wire pairs (to store or show what was sent). */
export function textHeaders(wire: readonly HeaderPair[]): HeaderPair[] {
  return wire.map(([name, value]) => [name, headerText(value)]);
}

/** Every value of header `name` (case-insensitive), in received order. */
export function headerValues(pairs: readonly (readonly [string, string])[], name: string): string[] {
  const wanted = name.toLowerCase();
  return pairs.filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
}
