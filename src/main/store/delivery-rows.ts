import type { AttemptKind } from '../../shared/attempt';
import type { DeliveryDetail, DeliverySummary, LastAttempt } from '../../shared/delivery';
import type { SignatureStatus } from '../../shared/reviewsense/catalogue';

/** A delivery as stored; the expected signature is computed when shown, never kept on disk. */
/** A delivery as the core holds it: the body as bytes; base64 is for the wire and the files, at their edge. */
export type StoredDeliveryDetail = Omit<DeliveryDetail, 'signatureExpected' | 'bodyBase64'> & { body: Buffer | null };

/** Columns worked out per row: one index probe each (the forward queue's key, the newest attempt). */
export const DERIVED_COLUMNS = `EXISTS (SELECT 1 FROM forward_queue WHERE forward_queue.delivery_id = deliveries.id) AS forward_queued,
  (SELECT json_object('kind', kind, 'status', status, 'delivered', delivered, 'queued', queued, 'ok', ok)
     FROM attempts WHERE attempts.delivery_id = deliveries.id ORDER BY attempts.id DESC LIMIT 1) AS last_attempt`;

export const SUMMARY_COLUMNS = `id, received_at, method, path, event_id, event_type, signature_status, duplicate_of,
  delivery_number, unverified_claim, response_status, answer_lost, body_size, content_type, rejection, imported, forward_note,
  ${DERIVED_COLUMNS}`;

export interface SummaryRow {
  id: number;
  received_at: number;
  method: string;
  path: string;
  event_id: string | null;
  event_type: string | null;
  signature_status: SignatureStatus;
  duplicate_of: number | null;
  delivery_number: number;
  unverified_claim: number;
  response_status: number;
  answer_lost: string | null;
  body_size: number;
  content_type: string | null;
  rejection: string | null;
  imported: number;
  forward_note: string | null;
  forward_queued: number;
  last_attempt: string | null;
}

export interface DetailRow extends SummaryRow {
  headers: string;
  raw_headers: string | null;
  receiver_origin: string | null;
  body: Buffer | null;
  remote_address: string | null;
  signature_secret_label: string | null;
  signature_secret_fingerprint: string | null;
  signature_diagnosis: string | null;
  signature_received: string | null;
  parse_error: string | null;
}

export function toSummary(row: SummaryRow): DeliverySummary {
  return {
    id: row.id,
    receivedAt: row.received_at,
    method: row.method,
    path: row.path,
    eventId: row.event_id,
    eventType: row.event_type,
    signatureStatus: row.signature_status,
    duplicateOf: row.duplicate_of,
    deliveryNumber: row.delivery_number,
    unverifiedClaim: row.unverified_claim === 1,
    responseStatus: row.response_status,
    answerLost: row.answer_lost,
    bodySize: row.body_size,
    contentType: row.content_type,
    rejection: row.rejection,
    lastAttempt: lastAttemptOf(row.last_attempt),
    imported: row.imported === 1,
    forwardQueued: row.forward_queued === 1,
    forwardNote: row.forward_note,
  };
}

function lastAttemptOf(json: string | null | undefined): LastAttempt | null {
  if (json === null || json === undefined) return null;
  const raw = JSON.parse(json) as { kind: AttemptKind; status: number | null; delivered: number; queued: number; ok: number | null };
  return { kind: raw.kind, status: raw.status, delivered: raw.delivered === 1, queued: raw.queued === 1, ok: raw.ok === null ? null : raw.ok === 1 };
}

export function toDetail(row: DetailRow): StoredDeliveryDetail {
  // Assigned onto the summary, not `{ ...toSummary(row), headers, … }`: Node 20's V8 defines each
  // property after a spread on a slow path (~1–2 µs each), 15–18 µs a row of an export.
  const detail: Omit<StoredDeliveryDetail, keyof DeliverySummary> = {
    headers: JSON.parse(row.headers) as [string, string][],
    rawHeaders: row.raw_headers ? (JSON.parse(row.raw_headers) as [string, string][]) : null,
    receiverOrigin: row.receiver_origin,
    body: row.body ?? null,
    remoteAddress: row.remote_address,
    signatureSecret:
      row.signature_secret_label !== null
        ? { label: row.signature_secret_label, fingerprint: row.signature_secret_fingerprint ?? '' }
        : null,
    signatureDiagnosis: row.signature_diagnosis,
    signatureReceived: row.signature_received,
    parseError: row.parse_error,
  };
  return Object.assign(toSummary(row), detail);
}

/**
 * Turns what a person types into an FTS5 query that cannot be a syntax error:
 * every word becomes a quoted phrase and the last one matches as a prefix.
 */
export function toFtsQuery(text: string): string | null {
  const words = text.match(/[^\s"]+/g);
  if (!words) return null;
  // The last word is still being typed: a prefix, from two characters on (one character would
  // match nearly every row, and has no prefix index to answer it quickly).
  const prefix = (word: string, index: number) => index === words.length - 1 && [...word].length > 1;
  return words.map((word, index) => `"${word}"${prefix(word, index) ? '*' : ''}`).join(' ');
}
