import type { DeliveryDetail } from './delivery';

export const EXPORT_FORMATS = ['json', 'ndjson', 'har', 'fixture-node', 'fixture-pytest'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/**
 * The delivery's fields an export carries, in the order each line writes them: every stored
 * column, none of what is derived when shown (last attempt, forward queue, expected digests).
 */
export const EXPORTED_FIELDS = [
  'id',
  'receivedAt',
  'method',
  'path',
  'headers',
  'receiverOrigin',
  'rawHeaders',
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
] as const;

/** One delivery as `json` and `ndjson` exports carry it: every column, the body lossless. */
export type ExportedDelivery = Pick<DeliveryDetail, Exclude<(typeof EXPORTED_FIELDS)[number], 'bodyText'>> & {
  /** The same bytes as `bodyBase64`, as text, when they are valid UTF-8 (for reading); null otherwise. */
  bodyText: string | null;
};

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
