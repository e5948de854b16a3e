import type { SignatureStatus } from './reviewsense/catalogue';

export const EXPORT_FORMATS = ['json', 'ndjson', 'har', 'fixture-node', 'fixture-pytest'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** One delivery as `json` and `ndjson` exports carry it: every column, the body lossless. */
export interface ExportedDelivery {
  id: number;
  receivedAt: number;
  method: string;
  path: string;
  /** Header pairs to read: each value decoded as UTF-8 where it is UTF-8. */
  headers: [string, string][];
  /**
   * The exact header bytes, as pairs whose values hold one character per byte (latin1); null when
   * every value is ASCII, so `headers` is already exact (the `raw_headers` column).
   */
  rawHeaders: [string, string][] | null;
  /** The receiver it arrived at (`http://127.0.0.1:8787`); null when not recorded. */
  receiverOrigin?: string | null;
  /** The exact bytes, base64; null when the body was not stored (rejected). */
  bodyBase64: string | null;
  /** The same bytes as text, when they are valid UTF-8 (for reading); null otherwise. */
  bodyText: string | null;
  bodySize: number;
  contentType: string | null;
  remoteAddress: string | null;
  eventId: string | null;
  eventType: string | null;
  signatureStatus: SignatureStatus;
  signatureSecret: { label: string; fingerprint: string } | null;
  signatureDiagnosis: string | null;
  signatureReceived: string | null;
  duplicateOf: number | null;
  deliveryNumber: number;
  unverifiedClaim: boolean;
  responseStatus: number;
  answerLost: string | null;
  rejection: string | null;
  parseError: string | null;
  imported: boolean;
}

/** Pushed while an export runs in the app. */
export interface ExportProgress {
  exportId: string;
  format: ExportFormat;
  done: number;
  total: number;
  /** The file written, once finished. */
  file: string | null;
  finished: boolean;
  error: string | null;
}
