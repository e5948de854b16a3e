// How an export and an import are judged: an exported delivery against the row it came from,
// column by column, and a data folder after an import against the captured rows.
import { expect } from 'vitest';
import type { ExportedDelivery } from '../../../src/shared/exchange';
import { captured, rowsOf, type Row } from './capture';

/** Every column an exported delivery carries (json and ndjson), exactly. */
const EXPORTED_KEYS: (keyof ExportedDelivery)[] = [
  'id',
  'receivedAt',
  'method',
  'path',
  'headers',
  'rawHeaders',
  'receiverOrigin',
  'bodyBase64',
  'bodyText',
  'bodySize',
  'contentType',
  'remoteAddress',
  'eventId',
  'eventType',
  'signatureStatus',
  'signatureSecret',
  'signatureDiagnosis',
  'signatureReceived',
  'duplicateOf',
  'deliveryNumber',
  'unverifiedClaim',
  'responseStatus',
  'answerLost',
  'rejection',
  'parseError',
  'imported',
];

const textOf = (bytes: Buffer) => {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
};

/** An exported delivery against the row it came from: every column. */
export function expectSameAsRow(exported: ExportedDelivery, row: Row) {
  expect(Object.keys(exported).sort()).toEqual([...EXPORTED_KEYS].sort());
  const bytes = exported.bodyBase64 === null ? null : Buffer.from(exported.bodyBase64, 'base64');
  if (row.body === null) expect(bytes).toBeNull();
  else expect(bytes?.equals(row.body), `body of #${row.id} is not byte-exact`).toBe(true);
  expect(exported.bodyText).toBe(row.body === null ? null : textOf(row.body));
  expect(exported).toEqual({
    id: row.id,
    receivedAt: row.received_at,
    method: row.method,
    path: row.path,
    headers: JSON.parse(row.headers),
    rawHeaders: row.raw_headers === null ? null : JSON.parse(row.raw_headers),
    receiverOrigin: row.receiver_origin,
    bodyBase64: exported.bodyBase64,
    bodyText: exported.bodyText,
    bodySize: row.body_size,
    contentType: row.content_type,
    remoteAddress: row.remote_address,
    eventId: row.event_id,
    eventType: row.event_type,
    signatureStatus: row.signature_status,
    signatureSecret: row.signature_secret_label === null ? null : { label: row.signature_secret_label, fingerprint: row.signature_secret_fingerprint },
    signatureDiagnosis: row.signature_diagnosis,
    signatureReceived: row.signature_received,
    duplicateOf: row.duplicate_of,
    deliveryNumber: row.delivery_number,
    unverifiedClaim: row.unverified_claim === 1,
    responseStatus: row.response_status,
    answerLost: row.answer_lost,
    rejection: row.rejection,
    parseError: row.parse_error,
    imported: row.imported === 1,
  });
}

/** A data folder after an import of the captured seven: `offset` rows were there before. */
export function expectImported(dataDir: string, offset = 0) {
  const { ids, rows: source } = captured;
  const rows = rowsOf(dataDir);
  expect(rows).toHaveLength(source.length + offset);
  const imported = rows.slice(offset);
  source.forEach((original, index) => {
    const copy = imported[index] as Row;
    expect(copy.imported, `row ${copy.id} is not marked imported`).toBe(1);
    if (original.body === null) expect(copy.body).toBeNull();
    else expect(copy.body?.equals(original.body), `body of imported #${copy.id} (was #${original.id}) differs`).toBe(true);
    expect({ ...copy, id: 0, body: null, duplicate_of: null, imported: 0 }).toEqual({ ...original, id: 0, body: null, duplicate_of: null, imported: 0 });
  });
  // The duplicate pair, linked by event id to the *imported* original.
  const byEvent = imported.filter((row) => row.event_id === 'evt_dup_0003');
  expect(byEvent.map((row) => row.delivery_number)).toEqual([1, 2]);
  expect(byEvent[0]?.duplicate_of).toBeNull();
  expect(byEvent[1]?.duplicate_of).toBe(byEvent[0]?.id);
  expect(byEvent[0]?.id).toBe(ids.original + offset);
  // Nothing else is a duplicate.
  expect(imported.filter((row) => row.duplicate_of !== null)).toHaveLength(1);
  return imported;
}
