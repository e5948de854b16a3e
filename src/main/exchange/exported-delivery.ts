import { EXPORTED_FIELDS, type ExportedDelivery } from '../../shared/exchange';
import type { StoredDeliveryDetail } from '../store/delivery-rows';

const utf8 = new TextDecoder('utf-8', { fatal: true });

function asText(body: Buffer): string | null {
  try {
    return utf8.decode(body);
  } catch {
    return null;
  }
}

/** A stored delivery as exports carry it: every column, the body as base64 and, when UTF-8, as text. */
export function toExported(delivery: StoredDeliveryDetail): ExportedDelivery {
  const { body } = delivery;
  const exported: Record<string, unknown> = {};
  // One list names the fields and their order; only the body changes form on the way out.
  for (const field of EXPORTED_FIELDS) {
    if (field === 'bodyBase64') exported[field] = body ? body.toString('base64') : null;
    else if (field === 'bodyText') exported[field] = body ? asText(body) : null;
    else exported[field] = delivery[field];
  }
  return exported as ExportedDelivery;
}
