import type { AttemptKind } from '../../shared/attempt';
import type { DeliveryCounts, DeliveryDetail, DeliveryFilter, DeliverySummary, LastAttempt } from '../../shared/delivery';
import { SIGNATURE_STATUSES, type SignatureStatus } from '../../shared/reviewsense/catalogue';
import type { Db } from './open-database';

/** A delivery as the receiver hands it to the store, before it has an id. */
export interface NewDelivery {
  receivedAt: number;
  method: string;
  path: string;
  headers: [string, string][];
  body: Buffer | null;
  bodySize: number;
  contentType: string | null;
  remoteAddress: string | null;
  eventId: string | null;
  eventType: string | null;
  /** Text indexed for search (the decoded payload); null when there is none. */
  searchText: string | null;
  signatureStatus: SignatureStatus;
  signatureSecret: { label: string; fingerprint: string } | null;
  signatureDiagnosis: string | null;
  signatureReceived: string | null;
  responseStatus: number;
  rejection: string | null;
  parseError: string | null;
}

/** A delivery as stored; the expected signature is computed when shown, never kept on disk. */
export type StoredDeliveryDetail = Omit<DeliveryDetail, 'signatureExpected'>;


// The newest attempt per row reads the attempts_delivery index: one probe per row shown.
const SUMMARY_COLUMNS = `id, received_at, method, path, event_id, event_type, signature_status, duplicate_of,
  delivery_number, unverified_claim, response_status, answer_lost, body_size, content_type, rejection,
  (SELECT json_object('kind', kind, 'status', status, 'delivered', delivered, 'queued', queued)
     FROM attempts WHERE attempts.delivery_id = deliveries.id ORDER BY attempts.id DESC LIMIT 1) AS last_attempt`;

const FILTERS = `
  (:types IS NULL OR event_type IN (SELECT value FROM json_each(:types)))
  AND (:signatures IS NULL OR signature_status IN (SELECT value FROM json_each(:signatures)))
  AND (:duplicates = 'all' OR (:duplicates = 'only' AND duplicate_of IS NOT NULL) OR (:duplicates = 'exclude' AND duplicate_of IS NULL))
  AND (:since IS NULL OR received_at >= :since)
  AND (:until IS NULL OR received_at <= :until)
  AND (:beforeId IS NULL OR id < :beforeId)`;

interface EventRow {
  first_delivery_id: number;
  deliveries: number;
  original_trusted: number;
}

interface SummaryRow {
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
  last_attempt: string | null;
}

interface DetailRow extends SummaryRow {
  headers: string;
  body: Buffer | null;
  remote_address: string | null;
  signature_secret_label: string | null;
  signature_secret_fingerprint: string | null;
  signature_diagnosis: string | null;
  signature_received: string | null;
  parse_error: string | null;
}

function toSummary(row: SummaryRow): DeliverySummary {
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
  };
}

function lastAttemptOf(json: string | null): LastAttempt | null {
  if (json === null) return null;
  const raw = JSON.parse(json) as { kind: AttemptKind; status: number | null; delivered: number; queued: number };
  return { kind: raw.kind, status: raw.status, delivered: raw.delivered === 1, queued: raw.queued === 1 };
}

function toDetail(row: DetailRow): StoredDeliveryDetail {
  return {
    ...toSummary(row),
    headers: JSON.parse(row.headers) as [string, string][],
    bodyBase64: row.body ? row.body.toString('base64') : null,
    remoteAddress: row.remote_address,
    signatureSecret:
      row.signature_secret_label !== null
        ? { label: row.signature_secret_label, fingerprint: row.signature_secret_fingerprint ?? '' }
        : null,
    signatureDiagnosis: row.signature_diagnosis,
    signatureReceived: row.signature_received,
    parseError: row.parse_error,
  };
}

/**
 * Turns what a person types into an FTS5 query that cannot be a syntax error:
 * every word becomes a quoted phrase and the last one matches as a prefix.
 */
export function toFtsQuery(text: string): string | null {
  const words = text.match(/[^\s"]+/g);
  if (!words) return null;
  return words.map((word, index) => `"${word}"${index === words.length - 1 ? '*' : ''}`).join(' ');
}

export const DEFAULT_PAGE = 200;
/**
 * Full-text search covers the first 64 Ki characters of a payload (ReviewSense's are a few KiB):
 * indexing a 5 MiB body word by word inside the commit held every other delivery's answer.
 */
export const MAX_INDEXED_CHARS = 64 * 1024;
const MAX_PAGE = 1000;

export function createDeliveriesRepository(db: Db) {
  const statements = {
    firstOfEvent: db.prepare<[string], EventRow>('SELECT first_delivery_id, deliveries, original_trusted FROM events WHERE event_id = ?'),
    newEvent: db.prepare<[string, number | bigint, number]>('INSERT INTO events (event_id, first_delivery_id, deliveries, original_trusted) VALUES (?, ?, 1, ?)'),
    countEvent: db.prepare<[string]>('UPDATE events SET deliveries = deliveries + 1 WHERE event_id = ?'),
    newOriginal: db.prepare<[number | bigint, string]>('UPDATE events SET first_delivery_id = ?, deliveries = 1, original_trusted = 1 WHERE event_id = ?'),
    relinkClaims: db.prepare<[number | bigint, string, number | bigint]>(
      'UPDATE deliveries SET duplicate_of = ? WHERE event_id = ? AND unverified_claim = 1 AND id <> ?',
    ),
    answerLost: db.prepare<[string, number]>('UPDATE deliveries SET answer_lost = ? WHERE id = ?'),
    answered: db.prepare<[number, number]>('UPDATE deliveries SET response_status = ? WHERE id = ?'),
    insert: db.prepare(`INSERT INTO deliveries (
        received_at, method, path, headers, body, body_size, content_type, remote_address, event_id, event_type,
        signature_status, signature_secret_label, signature_secret_fingerprint, signature_diagnosis,
        signature_received, duplicate_of, delivery_number, unverified_claim, response_status, rejection, parse_error)
      VALUES (@receivedAt, @method, @path, @headers, @body, @bodySize, @contentType, @remoteAddress, @eventId, @eventType,
        @signatureStatus, @secretLabel, @secretFingerprint, @signatureDiagnosis,
        @signatureReceived, @duplicateOf, @deliveryNumber, @unverifiedClaim, @responseStatus, @rejection, @parseError)`),
    indexPayload: db.prepare<[number | bigint, string]>('INSERT INTO deliveries_fts (rowid, payload) VALUES (?, ?)'),
    list: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE ${FILTERS} ORDER BY id DESC LIMIT :limit`),
    search: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM deliveries
      WHERE id IN (SELECT rowid FROM deliveries_fts WHERE deliveries_fts MATCH :match) AND ${FILTERS}
      ORDER BY id DESC LIMIT :limit`),
    get: db.prepare(`SELECT *, ${SUMMARY_COLUMNS.slice(SUMMARY_COLUMNS.indexOf('(SELECT'))} FROM deliveries WHERE id = ?`),
    ofEvent: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE event_id = ? ORDER BY id`),
    countBySignature: db.prepare<[], { signature_status: SignatureStatus; n: number }>(
      'SELECT signature_status, count(*) AS n FROM deliveries GROUP BY signature_status',
    ),
    countDuplicates: db.prepare<[], { n: number }>('SELECT count(*) AS n FROM deliveries WHERE duplicate_of IS NOT NULL'),
    // AUTOINCREMENT keeps the highest id ever given here, deleted rows included.
    lastId: db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'deliveries'"),
    unindex: db.prepare<[number]>('DELETE FROM deliveries_fts WHERE rowid = ?'),
    remove: db.prepare<[number]>('DELETE FROM deliveries WHERE id = ?'),
    clearFts: db.prepare("INSERT INTO deliveries_fts (deliveries_fts) VALUES ('delete-all')"),
    clear: db.prepare('DELETE FROM deliveries'),
    clearEvents: db.prepare('DELETE FROM events'),
  };

  /**
   * Inserts one delivery, linking it to the original delivery of the same event id, and returns
   * the summary the feed shows (built by the same `toSummary` as every read). Call inside a
   * transaction. Only a verified delivery (or any, while no secret is set) can be an event's
   * original: a forged request that claims an id first is linked, never counted, and the genuine
   * delivery that follows becomes the original.
   */
  function insert(delivery: NewDelivery): DeliverySummary {
    const trusted = delivery.signatureStatus === 'valid' || delivery.signatureStatus === 'unchecked';
    const event = delivery.eventId ? statements.firstOfEvent.get(delivery.eventId) : undefined;
    const takesOver = event !== undefined && event.original_trusted === 0 && trusted;
    const duplicateOf = event && !takesOver ? event.first_delivery_id : null;
    const deliveryNumber = event && !takesOver ? event.deliveries + 1 : 1;
    const unverifiedClaim = delivery.eventId !== null && !trusted;
    const { lastInsertRowid } = statements.insert.run({
      receivedAt: delivery.receivedAt,
      method: delivery.method,
      path: delivery.path,
      headers: JSON.stringify(delivery.headers),
      body: delivery.body,
      bodySize: delivery.bodySize,
      contentType: delivery.contentType,
      remoteAddress: delivery.remoteAddress,
      eventId: delivery.eventId,
      eventType: delivery.eventType,
      signatureStatus: delivery.signatureStatus,
      secretLabel: delivery.signatureSecret?.label ?? null,
      secretFingerprint: delivery.signatureSecret?.fingerprint ?? null,
      signatureDiagnosis: delivery.signatureDiagnosis,
      signatureReceived: delivery.signatureReceived,
      duplicateOf,
      deliveryNumber,
      unverifiedClaim: unverifiedClaim ? 1 : 0,
      responseStatus: delivery.responseStatus,
      rejection: delivery.rejection,
      parseError: delivery.parseError,
    });
    if (delivery.eventId) {
      if (!event) statements.newEvent.run(delivery.eventId, lastInsertRowid, trusted ? 1 : 0);
      else if (takesOver) {
        statements.newOriginal.run(lastInsertRowid, delivery.eventId);
        statements.relinkClaims.run(lastInsertRowid, delivery.eventId, lastInsertRowid);
      } else if (trusted || event.original_trusted === 0) statements.countEvent.run(delivery.eventId);
    }
    if (delivery.searchText) statements.indexPayload.run(lastInsertRowid, delivery.searchText.slice(0, MAX_INDEXED_CHARS));
    return toSummary({
      id: Number(lastInsertRowid),
      received_at: delivery.receivedAt,
      method: delivery.method,
      path: delivery.path,
      event_id: delivery.eventId,
      event_type: delivery.eventType,
      signature_status: delivery.signatureStatus,
      duplicate_of: duplicateOf,
      delivery_number: deliveryNumber,
      unverified_claim: unverifiedClaim ? 1 : 0,
      response_status: delivery.responseStatus,
      answer_lost: null,
      body_size: delivery.bodySize,
      content_type: delivery.contentType,
      rejection: delivery.rejection,
      last_attempt: null,
    });
  }

  /** The answer actually given, when it was decided after the commit (mirror mode). */
  function recordAnswer(id: number, status: number): void {
    statements.answered.run(status, id);
  }

  /** The answer to a committed delivery never reached its client (the connection closed first). */
  function markAnswerLost(id: number, reason: string): void {
    statements.answerLost.run(reason, id);
  }

  function list(filter: DeliveryFilter = {}): DeliverySummary[] {
    const params = {
      types: filter.types?.length ? JSON.stringify(filter.types) : null,
      signatures: filter.signatures?.length ? JSON.stringify(filter.signatures) : null,
      duplicates: filter.duplicates ?? 'all',
      since: filter.since ?? null,
      until: filter.until ?? null,
      beforeId: filter.beforeId ?? null,
      limit: Math.min(Math.max(filter.limit ?? DEFAULT_PAGE, 1), MAX_PAGE),
    };
    const match = filter.text ? toFtsQuery(filter.text) : null;
    const rows = match ? statements.search.all({ ...params, match }) : statements.list.all(params);
    return (rows as SummaryRow[]).map(toSummary);
  }

  function get(id: number): StoredDeliveryDetail | null {
    const row = statements.get.get(id) as DetailRow | undefined;
    return row ? toDetail(row) : null;
  }

  function ofEvent(eventId: string): DeliverySummary[] {
    return (statements.ofEvent.all(eventId) as SummaryRow[]).map(toSummary);
  }

  function counts(): DeliveryCounts {
    const bySignature = Object.fromEntries(SIGNATURE_STATUSES.map((status) => [status, 0])) as Record<SignatureStatus, number>;
    let total = 0;
    for (const row of statements.countBySignature.all()) {
      bySignature[row.signature_status] = row.n;
      total += row.n;
    }
    return { total, bySignature, duplicates: statements.countDuplicates.get()?.n ?? 0, throughId: statements.lastId.get()?.seq ?? 0 };
  }

  const remove = db.transaction((id: number): boolean => {
    statements.unindex.run(id);
    return statements.remove.run(id).changes > 0;
  });

  /** Clearing everything is a fresh start: links and ordinals start over too. */
  const clear = db.transaction((): number => {
    statements.clearFts.run();
    statements.clearEvents.run();
    return statements.clear.run().changes;
  });

  return { insert, markAnswerLost, recordAnswer, list, get, ofEvent, counts, remove, clear };
}

export type DeliveriesRepository = ReturnType<typeof createDeliveriesRepository>;
