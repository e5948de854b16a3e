import type { DeliveryCounts, DeliveryFilter, DeliverySummary } from '../../shared/delivery';
import { SIGNATURE_STATUSES, type SignatureStatus } from '../../shared/reviewsense/catalogue';
import { DERIVED_COLUMNS, SUMMARY_COLUMNS, toDetail, toFtsQuery, toSummary, type DetailRow, type StoredDeliveryDetail, type SummaryRow } from './delivery-rows';
import { createDeleteAll } from './delete-all';
import { feedQuery, type FeedQuery } from './feed-query';
import { searchPage, type QueryRunner } from './search-plan';
import { createStatementCache } from './statement-cache';
import type { Db } from './open-database';
import { exactHeaders, type HeaderPair } from '../util/header-pairs';
import type { RelayedPosition } from './relay-cursors-repository';

export { toFtsQuery, type StoredDeliveryDetail };

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
  /** Text indexed for search (the decoded payload), after the commit; null when there is none. */
  searchText: string | null;
  signatureStatus: SignatureStatus;
  signatureSecret: { label: string; fingerprint: string } | null;
  signatureDiagnosis: string | null;
  signatureReceived: string | null;
  responseStatus: number;
  rejection: string | null;
  parseError: string | null;
  /** From another Hooklens's export (import), not received here. */
  imported?: boolean;
  /** The exact header bytes (wire pairs) when some value is not ASCII; null when `headers` is exact. */
  rawHeaders?: [string, string][] | null;
  /**
   * Forward to this target: the intent is committed with the delivery (an outbox row), so a forward
   * of an acknowledged delivery survives any crash. Null: not forwarded (or mirrored, answered live).
   */
  forwardTo?: string | null;
  /** Why it is not forwarded although forwarding is on (a body refused as too large). */
  forwardNote?: string | null;
  /** Not stored: the answer to its sender waits for your app (mirror mode), so the pushed summary says so. */
  answerPending?: boolean;
  /** The receiver it arrived at, as an origin (`http://127.0.0.1:8787`); null when not known (imported without one). */
  receiverOrigin?: string | null;
  /** Brought by a team relay's stream: its place there is committed with it (exactly once). */
  relayed?: RelayedPosition | null;
}



/** A stored request as it is sent again: headers as wire pairs (exact bytes). */
export interface StoredRequest {
  method: string;
  headers: HeaderPair[];
  body: Buffer;
  /** Its verdict when it arrived. */
  signatureStatus: SignatureStatus;
}

interface RequestRow {
  method: string;
  headers: string;
  raw_headers: string | null;
  body: Buffer | null;
  signature_status: SignatureStatus;
}

interface EventRow {
  first_delivery_id: number;
  deliveries: number;
  original_trusted: number;
}

/**
 * `events.original_trusted` says how far an event's original can be trusted: 0 not verified, 1
 * verified here (or no secret was set), 2 verified but imported (another Hooklens's capture, checked
 * against this one's secrets). A delivery that ranks higher takes over as the original.
 */
const ORIGINAL = { untrusted: 0, live: 1, imported: 2 } as const;
const RANK: Record<number, number> = { [ORIGINAL.untrusted]: 0, [ORIGINAL.imported]: 1, [ORIGINAL.live]: 2 };

/** What an event's original stored as this delivery would be. */
function originalKind(delivery: NewDelivery, trusted: boolean): number {
  if (!trusted) return ORIGINAL.untrusted;
  return delivery.imported ? ORIGINAL.imported : ORIGINAL.live;
}

export const DEFAULT_PAGE = 200;
const MAX_PAGE = 1000;

/** `beforeSearch` makes every delivery committed so far searchable (see search-indexer.ts). */
export function createDeliveriesRepository(db: Db, beforeSearch: () => void = () => undefined) {
  const statements = {
    firstOfEvent: db.prepare<[string], EventRow>('SELECT first_delivery_id, deliveries, original_trusted FROM events WHERE event_id = ?'),
    newEvent: db.prepare<[string, number | bigint, number]>('INSERT INTO events (event_id, first_delivery_id, deliveries, original_trusted) VALUES (?, ?, 1, ?)'),
    countEvent: db.prepare<[string]>('UPDATE events SET deliveries = deliveries + 1 WHERE event_id = ?'),
    newOriginal: db.prepare<[number | bigint, number, string]>('UPDATE events SET first_delivery_id = ?, deliveries = 1, original_trusted = ? WHERE event_id = ?'),
    // Everything already linked to the event (claims, imported rows, the old original) now points at the new original.
    relink: db.prepare<[number | bigint, string, number | bigint]>('UPDATE deliveries SET duplicate_of = ? WHERE event_id = ? AND id <> ?'),
    answerLost: db.prepare<[string, number]>('UPDATE deliveries SET answer_lost = ? WHERE id = ?'),
    answered: db.prepare<[number, number]>('UPDATE deliveries SET response_status = ? WHERE id = ?'),
    insert: db.prepare(`INSERT INTO deliveries (
        received_at, method, path, headers, body, body_size, content_type, remote_address, event_id, event_type,
        signature_status, signature_secret_label, signature_secret_fingerprint, signature_diagnosis,
        signature_received, duplicate_of, delivery_number, unverified_claim, response_status, rejection, parse_error, imported,
        raw_headers, forward_note, receiver_origin)
      VALUES (@receivedAt, @method, @path, @headers, @body, @bodySize, @contentType, @remoteAddress, @eventId, @eventType,
        @signatureStatus, @secretLabel, @secretFingerprint, @signatureDiagnosis,
        @signatureReceived, @duplicateOf, @deliveryNumber, @unverifiedClaim, @responseStatus, @rejection, @parseError, @imported,
        @rawHeaders, @forwardNote, @receiverOrigin)`),
    // What a forward sends: the exact bytes, without decoding the body to base64 and back.
    request: db.prepare<[number], RequestRow>('SELECT method, headers, raw_headers, body, signature_status FROM deliveries WHERE id = ?'),
    get: db.prepare(`SELECT *, ${DERIVED_COLUMNS} FROM deliveries WHERE id = ?`),
    ofEvent: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE event_id = ? ORDER BY id`),
    summary: db.prepare(`SELECT ${SUMMARY_COLUMNS} FROM deliveries WHERE id = ?`),
    // Kept by triggers (migration 6): reading them costs the same at any size.
    counts: db.prepare<[], { key: string; n: number }>('SELECT key, n FROM delivery_counts'),
    // AUTOINCREMENT keeps the highest id ever given here, deleted rows included.
    lastId: db.prepare<[], { seq: number }>("SELECT seq FROM sqlite_sequence WHERE name = 'deliveries'"),
    unindex: db.prepare<[number]>('DELETE FROM deliveries_fts WHERE rowid = ?'),
    remove: db.prepare<[number]>('DELETE FROM deliveries WHERE id = ?'),
  };

  /**
   * Inserts one delivery, linking it to the original delivery of the same event id, and returns
   * the summary the feed shows (built by the same `toSummary` as every read). Call inside a
   * transaction. The rule: only verified deliveries count — an event's original is its first
   * verified delivery (any delivery, while no secret is set), later verified ones are its 2nd,
   * 3rd, …; a request whose signature does not verify is an unverified claim, linked to the
   * verified original if there is one, never counted (delivery_number 0), never the original. An imported one is the original only until a
   * verified delivery of its event arrives here, which takes over; the imported rows are relinked.
   */
  function insert(delivery: NewDelivery): DeliverySummary {
    const trusted = delivery.signatureStatus === 'valid' || delivery.signatureStatus === 'unchecked';
    const kind = originalKind(delivery, trusted);
    const event = delivery.eventId ? statements.firstOfEvent.get(delivery.eventId) : undefined;
    // An unknown value (a newer Hooklens's) ranks as verified: never demoted by mistake.
    const takesOver = event !== undefined && (RANK[kind] as number) > (RANK[event.original_trusted] ?? 2);
    const unverifiedClaim = delivery.eventId !== null && !trusted;
    // Only a verified delivery is an original: claims made before one arrives are linked to nothing.
    const hasOriginal = event !== undefined && event.original_trusted !== ORIGINAL.untrusted;
    const duplicateOf = event && !takesOver && hasOriginal ? event.first_delivery_id : null;
    // An unverified claim is never counted (0); a verified delivery is its event's 1st, 2nd, …
    const deliveryNumber = unverifiedClaim ? 0 : event && !takesOver ? event.deliveries + 1 : 1;
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
      imported: delivery.imported ? 1 : 0,
      rawHeaders: delivery.rawHeaders ? JSON.stringify(delivery.rawHeaders) : null,
      forwardNote: delivery.forwardNote ?? null,
      receiverOrigin: delivery.receiverOrigin ?? null,
    });
    if (delivery.eventId) {
      if (!event) statements.newEvent.run(delivery.eventId, lastInsertRowid, kind);
      else if (takesOver) {
        statements.newOriginal.run(lastInsertRowid, kind, delivery.eventId);
        statements.relink.run(lastInsertRowid, delivery.eventId, lastInsertRowid);
      } else if (trusted) statements.countEvent.run(delivery.eventId);
    }
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
      imported: delivery.imported ? 1 : 0,
      forward_note: delivery.forwardNote ?? null,
      forward_queued: delivery.forwardTo ? 1 : 0,
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

  const feedStatement = createStatementCache(db);
  const runner: QueryRunner = {
    value: (query) => (feedStatement(query.sql).pluck().get(...query.params) as number | null | undefined) ?? null,
    rows: <T>(query: FeedQuery) => feedStatement(query.sql).all(...query.params) as T[],
    ids: (query) => feedStatement(query.sql).pluck().iterate(...query.params) as IterableIterator<number>,
  };

  function list(filter: DeliveryFilter = {}): DeliverySummary[] {
    const limit = Math.min(Math.max(filter.limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
    const match = filter.text ? toFtsQuery(filter.text) : null;
    if (filter.text && match !== null) {
      beforeSearch();
      return searchPage<SummaryRow>(runner, filter, limit, filter.text, match).map(toSummary);
    }
    const query = feedQuery(filter, limit, match);
    return (feedStatement(query.sql).all(...query.params) as SummaryRow[]).map(toSummary);
  }

  function get(id: number): StoredDeliveryDetail | null {
    const row = statements.get.get(id) as DetailRow | undefined;
    return row ? toDetail(row) : null;
  }

  /** A stored request as it goes out again: method, exact header bytes, body; null when gone or refused (no body). */
  function request(id: number): StoredRequest | null {
    const row = statements.request.get(id);
    if (!row || row.body === null) return null;
    const headers = exactHeaders(JSON.parse(row.headers) as HeaderPair[], row.raw_headers ? (JSON.parse(row.raw_headers) as HeaderPair[]) : null);
    return { method: row.method, headers, body: row.body, signatureStatus: row.signature_status };
  }

  function summary(id: number): DeliverySummary | null {
    const row = statements.summary.get(id) as SummaryRow | undefined;
    return row ? toSummary(row) : null;
  }

  function ofEvent(eventId: string): DeliverySummary[] {
    return (statements.ofEvent.all(eventId) as SummaryRow[]).map(toSummary);
  }

  function counts(): DeliveryCounts {
    const bySignature = Object.fromEntries(SIGNATURE_STATUSES.map((status) => [status, 0])) as Record<SignatureStatus, number>;
    let total = 0;
    let duplicates = 0;
    for (const row of statements.counts.all()) {
      if (row.key === 'duplicates') duplicates = row.n;
      else {
        bySignature[row.key.slice('signature:'.length) as SignatureStatus] = row.n;
        total += row.n;
      }
    }
    return { total, bySignature, duplicates, throughId: statements.lastId.get()?.seq ?? 0 };
  }

  const remove = db.transaction((id: number): boolean => {
    statements.unindex.run(id);
    return statements.remove.run(id).changes > 0;
  });

  /** Clearing everything is a fresh start: links and ordinals start over too (see delete-all.ts). */
  const clear = createDeleteAll(db);

  return { insert, markAnswerLost, recordAnswer, list, get, summary, request, ofEvent, counts, remove, clear };
}

export type DeliveriesRepository = ReturnType<typeof createDeliveriesRepository>;
