import type { AttemptKind } from './attempt';
import type { SignatureStatus } from './reviewsense/catalogue';

export interface LastAttempt {
  kind: AttemptKind;
  status: number | null;
  delivered: boolean;
  queued: boolean;
  /** It met its expectation (a broken signature rightly refused is ok); null when judged by ReviewSense's rule alone. */
  ok: boolean | null;
}

/** What the feed shows for one received request. Shared by the core and every shell. */
export interface DeliverySummary {
  id: number;
  receivedAt: number;
  method: string;
  path: string;
  eventId: string | null;
  eventType: string | null;
  signatureStatus: SignatureStatus;
  duplicateOf: number | null;
  /** 1 for the first delivery of an event id, 2 for the first retry seen, … */
  deliveryNumber: number;
  /**
   * The event id was claimed by a request whose signature did not verify: it is linked to the
   * event but never its original, and its ordinal does not count.
   */
  unverifiedClaim: boolean;
  responseStatus: number;
  /** Why the answer never reached the client (the connection closed first); null when it did. */
  answerLost: string | null;
  /** The newest outgoing request made for this delivery (forward, replay), judged; null when none. */
  lastAttempt: LastAttempt | null;
  /** Brought in from another Hooklens's export, not received here. */
  imported: boolean;
  /** Waiting in the forward queue (an outbox row committed with it): not yet answered by your app. */
  forwardQueued: boolean;
  /** Why it was not forwarded although forwarding was on (e.g. refused as too large); null otherwise. */
  forwardNote: string | null;
  /**
   * Only on a pushed `delivery` event: the answer to its sender waits for your app (mirror mode);
   * a `delivery-updated` event follows with the status really sent.
   */
  answerPending?: boolean;
  bodySize: number;
  contentType: string | null;
  /** Why the request was refused (e.g. too large); null when it was stored whole. */
  rejection: string | null;
}

/** What one active secret makes of a body, named as Settings names it (never the secret itself). */
export interface ExpectedDigest {
  label: string;
  fingerprint: string;
  /** Lower-case hex HMAC-SHA256: what `X-ReviewSense-Signature` holds when this secret signed the body. */
  digest: string;
}

export interface DeliveryDetail extends DeliverySummary {
  /** Headers in received order, as text (UTF-8 decoded where the bytes are UTF-8). */
  headers: [string, string][];
  /**
   * The exact bytes of the same headers, one character per byte (latin1), when some value is not
   * ASCII; null when `headers` is exact.
   */
  rawHeaders: [string, string][] | null;
  /** The receiver it arrived at (`http://127.0.0.1:8787`); null for rows from before schema 8 or imported without one. */
  receiverOrigin: string | null;
  /** Exact bytes as received, base64; null when the body was not stored (rejected). */
  bodyBase64: string | null;
  remoteAddress: string | null;
  signatureSecret: { label: string; fingerprint: string } | null;
  signatureDiagnosis: string | null;
  /**
   * The digest each active secret gives for this body, in the order they are tried; empty without
   * a body or an active secret. Computed when shown, never stored.
   */
  signatureExpected: ExpectedDigest[];
  signatureReceived: string | null;
  /** Why the body is not a ReviewSense envelope (invalid JSON, not UTF-8, …). */
  parseError: string | null;
}

export type DuplicateFilter = 'all' | 'only' | 'exclude';

export interface DeliveryFilter {
  types?: string[];
  signatures?: SignatureStatus[];
  duplicates?: DuplicateFilter;
  /** Free text, matched against payloads with full-text search. */
  text?: string;
  since?: number;
  until?: number;
  /** Return rows with an id lower than this (paging newest first). */
  beforeId?: number;
  limit?: number;
}

export interface DeliveryCounts {
  total: number;
  bySignature: Record<SignatureStatus, number>;
  duplicates: number;
  /**
   * The highest delivery id these counts include (ids are never reused). A pushed delivery with
   * an id at or below it is already counted; the UI adds only the ones above it.
   */
  throughId: number;
}
