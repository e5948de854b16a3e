/** Node's rawHeaders ([name, value, name, value, …]) as pairs, in received order, duplicates kept. */
export function headerPairs(rawHeaders: readonly string[]): [string, string][] {
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) pairs.push([rawHeaders[i] as string, rawHeaders[i + 1] as string]);
  return pairs;
}

/** Every value of header `name` (case-insensitive), in received order. */
export function headerValues(pairs: readonly [string, string][], name: string): string[] {
  const wanted = name.toLowerCase();
  return pairs.filter(([key]) => key.toLowerCase() === wanted).map(([, value]) => value);
}
