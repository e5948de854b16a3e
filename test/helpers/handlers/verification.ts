// The signature checks the handlers make: the spec's, done right, and the ways developers get it
// wrong. Written from the spec, independently of Hooklens' own signing code.
import { createHmac, timingSafeEqual } from 'node:crypto';

function hmacHex(secret: string, data: Buffer): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

/** The spec's check done right: HMAC over the raw bytes, a length check, timingSafeEqual. */
export function verifiesRaw(raw: Buffer, header: string | null, secret: string): boolean {
  if (header === null) return false;
  const expected = Buffer.from(hmacHex(secret, raw));
  const given = Buffer.from(header);
  if (given.length !== expected.length) return false;
  return timingSafeEqual(expected, given);
}

/** The classic mistake: HMAC over JSON.stringify(JSON.parse(raw)) instead of the raw bytes. */
export function verifiesReserialised(raw: Buffer, header: string | null, secret: string): boolean {
  let compact: Buffer;
  try {
    compact = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
  } catch {
    return false;
  }
  return verifiesRaw(compact, header, secret);
}

/** Python's json.dumps with its defaults: ", " and ": " between items, non-ASCII as \uXXXX. */
function pythonDumps(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(pythonDumps).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value).map(([key, item]) => `${pythonDumps(key)}: ${pythonDumps(item)}`).join(', ')}}`;
  }
  return JSON.stringify(value).replace(/[\u0080-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Flask's classic mistake: HMAC over json.dumps(request.get_json()), which is never the bytes sent. */
export function verifiesJsonDumps(raw: Buffer, header: string | null, secret: string): boolean {
  let dumped: Buffer;
  try {
    dumped = Buffer.from(pythonDumps(JSON.parse(raw.toString('utf8'))));
  } catch {
    return false;
  }
  return verifiesRaw(dumped, header, secret);
}
