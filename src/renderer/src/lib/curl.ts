import type { DeliveryDetail } from '../../../shared/delivery';
import { base64ToBytes, utf8OrNull } from './bytes';

/** Headers curl sets itself, or that would be wrong for a re-send. */
const SKIPPED = new Set(['host', 'content-length', 'connection', 'transfer-encoding', 'accept-encoding']);

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** A curl command that re-sends this delivery's exact bytes and headers to `url`. */
export function toCurl(delivery: DeliveryDetail, url: string): string {
  const lines = [`curl -X ${delivery.method} ${shellQuote(url)}`];
  for (const [name, value] of delivery.headers) {
    if (!SKIPPED.has(name.toLowerCase())) lines.push(`  -H ${shellQuote(`${name}: ${value}`)}`);
  }
  if (delivery.bodyBase64) {
    const text = utf8OrNull(base64ToBytes(delivery.bodyBase64));
    // Binary bodies go through base64 so the bytes survive the shell untouched; so does a body
    // starting with "@", which curl would otherwise read as the name of a local file to send.
    const literal = text !== null && !text.includes('\0') && !text.startsWith('@');
    lines.push(literal ? `  --data-binary ${shellQuote(text)}` : `  --data-binary @<(printf %s ${shellQuote(delivery.bodyBase64)} | base64 -d)`);
  }
  return lines.join(' \\\n');
}
