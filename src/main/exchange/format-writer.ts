import { SIGNATURE_HEADER } from '../../shared/reviewsense/catalogue';
import type { ExportedDelivery } from '../../shared/exchange';

/** A format as text pieces, so a large export is written row by row, never held whole. */
export interface FormatWriter {
  head(): string;
  row(delivery: ExportedDelivery, index: number): string;
  tail(): string;
}

const CONNECTION_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'trailer', 'upgrade']);

/** The headers a replay or a fixture sends again: never the captured signature, nor connection ones. */
export function resendableHeaders(headers: readonly [string, string][]): [string, string][] {
  return headers.filter(([name]) => !CONNECTION_HEADERS.has(name.toLowerCase()) && name.toLowerCase() !== SIGNATURE_HEADER);
}
