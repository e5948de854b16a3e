import type { ExportedDelivery, ExportFormat } from '../../shared/exchange';
import { fixtureNode, fixturePytest } from './fixtures';
import type { FormatWriter } from './format-writer';

export const EXTENSIONS: Record<ExportFormat, string> = {
  json: 'json',
  ndjson: 'ndjson',
  har: 'har',
  'fixture-node': 'test.mjs',
  'fixture-pytest': 'py',
};

/**
 * HAR's date, for any stored value: a row from an older Hooklens, or an import before dates were
 * checked, may hold one that Date cannot print, and the export must still go through (Hooklens's
 * own record keeps the stored value).
 */
function harDate(receivedAt: number): string {
  const date = new Date(receivedAt);
  return Number.isNaN(date.getTime()) ? new Date(0).toISOString() : date.toISOString();
}

/** The request's URL on this receiver; a stored path no URL can hold goes in percent-encoded. */
function harUrl(path: string, origin: string): URL {
  try {
    return new URL(`${origin}${path.startsWith('/') ? '' : '/'}${path}`);
  } catch {
    return new URL(`${origin}/${encodeURIComponent(path)}`);
  }
}

function harEntry(delivery: ExportedDelivery, origin: string, version: string) {
  // Where it really arrived; the export's receiver only for rows from before that was recorded.
  const url = harUrl(delivery.path, delivery.receiverOrigin ?? origin);
  const text = delivery.bodyText ?? delivery.bodyBase64;
  return {
    startedDateTime: harDate(delivery.receivedAt),
    time: 0,
    request: {
      method: delivery.method,
      url: url.href,
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: delivery.headers.map(([name, value]) => ({ name, value })),
      queryString: [...url.searchParams].map(([name, value]) => ({ name, value })),
      // A binary body travels as base64 (HAR's `encoding`, as for response content) so it survives.
      ...(text !== null
        ? { postData: { mimeType: delivery.contentType ?? 'application/octet-stream', text, ...(delivery.bodyText === null ? { encoding: 'base64' } : {}) } }
        : {}),
      headersSize: -1,
      bodySize: delivery.bodySize,
    },
    response: {
      status: delivery.responseStatus,
      statusText: '',
      httpVersion: 'HTTP/1.1',
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: 'application/json' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
    },
    cache: {},
    timings: { send: 0, wait: 0, receive: 0 },
    comment: `Hooklens delivery #${delivery.id}: signature ${delivery.signatureStatus}`,
    // Everything else Hooklens knows, for an import into another Hooklens.
    _hooklens: { ...delivery, headers: undefined, bodyText: undefined, creator: version },
  };
}

export function formatWriter(format: ExportFormat, context: { exportedAt: number; origin: string; version: string }): FormatWriter {
  const exportedAt = new Date(context.exportedAt).toISOString();
  switch (format) {
    case 'json':
      return {
        head: () => `{"format":"hooklens-export","version":1,"exportedAt":${JSON.stringify(exportedAt)},"deliveries":[\n`,
        row: (delivery, index) => `${index > 0 ? ',\n' : ''}${JSON.stringify(delivery)}`,
        tail: () => '\n]}\n',
      };
    case 'ndjson':
      return { head: () => '', row: (delivery) => `${JSON.stringify(delivery)}\n`, tail: () => '' };
    case 'har':
      return {
        head: () => `{"log":{"version":"1.2","creator":{"name":"Hooklens","version":${JSON.stringify(context.version)}},"entries":[\n`,
        row: (delivery, index) => `${index > 0 ? ',\n' : ''}${JSON.stringify(harEntry(delivery, context.origin, context.version))}`,
        tail: () => '\n]}}\n',
      };
    case 'fixture-node':
      return fixtureNode(exportedAt);
    case 'fixture-pytest':
      return fixturePytest(exportedAt);
  }
}
