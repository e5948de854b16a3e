const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Node hands header bytes over as latin1 text (one character per byte). A value with bytes
 * above 0x7f that form valid UTF-8 was sent as UTF-8 (what every current client does): keep it as
 * that text, so it is shown, searched and resent (Copy as cURL) as the sender wrote it. Any other
 * value stays one character per byte, so its bytes are still exactly recoverable.
 */
function decodeHeaderText(latin1: string): string {
  if (!/[^\x00-\x7f]/.test(latin1)) return latin1;
  try {
    return utf8.decode(Buffer.from(latin1, 'latin1'));
  } catch {
    return latin1;
  }
}

/** Node's rawHeaders ([name, value, name, value, …]) as pairs, in received order, duplicates kept. */
export function headerPairs(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i] as string, decodeHeaderText(rawHeaders[i + 1] as string)]);
  return pairs;
}

/** Every value of header `name` (case-insensitive), in received order. */
export function headerValues(pairs: readonly (readonly [string, string])[], name: string): string[] {
  const wanted = name.toLowerCase();
  return pairs.filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
}
