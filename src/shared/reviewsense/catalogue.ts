/**
 * The ReviewSense event catalogue (spec: "Event Types" and "Payload Format"), written once as zod
 * schemas. The types, the receiver's envelope reading, the composer's check and the samples all
 * derive from them. Bundled into the core, the renderer and the preload: zod, nothing of Node or the DOM.
 * The names alone (types, descriptions, statuses) are in `event-types.ts`, without zod, for the
 * renderer's first script; they are re-exported here.
 */
import { z } from 'zod';
import { API_VERSION, EVENT_ID_PREFIX, type EventType } from './event-types';

export { API_VERSION, DELIVERY_DEADLINE_MS, EVENT_DESCRIPTIONS, EVENT_ID_PREFIX, EVENT_TYPES, isEventType, SIGNATURE_HEADER, SIGNATURE_STATUSES, type EventType, type SignatureStatus } from './event-types';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// The description is the phrase the composer's check uses: a regex is no way to tell a person.
const timestamp = z
  .string()
  .regex(ISO_TIME)
  .refine((value) => !Number.isNaN(Date.parse(value)))
  .describe('an ISO 8601 time such as "2026-04-24T14:30:00Z"');
// A whole number of any size: multipleOf(1) marks it whole (int() would also cap it at 2^53) and
// Number.isInteger holds it exactly, as multipleOf lets a few ulps off a whole number pass.
const count = z.number().multipleOf(1).refine(Number.isInteger).min(0);
const sentiment = z.enum(['positive', 'neutral', 'negative', 'mixed']);
const flagReason = z.enum(['spam', 'profanity', 'off_topic', 'personal_data', 'fake_review']);

/** Exactly the fields of the spec's example payload. */
const reviewAnalysed = z.strictObject({
  analysis_id: z.string(),
  review_id: z.string(),
  sentiment,
  /** 0–100, higher is more positive. */
  score: z.number().min(0).max(100),
  topics: z.array(z.string()),
  response_draft: z.string().nullable(),
});

const reviewFlagged = z.strictObject({
  analysis_id: z.string(),
  review_id: z.string(),
  reason: flagReason,
  /** 0–1 confidence of the classifier. */
  confidence: z.number().min(0).max(1),
  excerpt: z.string(),
});

const reviewResponded = z.strictObject({
  analysis_id: z.string(),
  review_id: z.string(),
  response_id: z.string(),
  response_text: z.string(),
  posted_at: timestamp,
  /** True when posted without a human approving the draft. */
  auto_posted: z.boolean(),
});

const reviewResponseReady = z.strictObject({
  analysis_id: z.string(),
  review_id: z.string(),
  draft_id: z.string(),
  response_draft: z.string(),
  sentiment,
});

const quota = z.strictObject({
  plan: z.string(),
  /** Credits used in the current period. */
  usage: count,
  limit: count,
  /** usage / limit × 100, rounded down. */
  percent: count,
  period_start: timestamp,
  period_end: timestamp,
});

const webhookTest = z.strictObject({
  message: z.string(),
  endpoint_id: z.string(),
});

/** What each event's `data` holds, for every event type (`event-types.ts` lists them). */
export const EVENT_DATA = {
  'review.analysed': reviewAnalysed,
  'review.flagged': reviewFlagged,
  'review.responded': reviewResponded,
  'review.response_ready': reviewResponseReady,
  'quota.warning': quota,
  'quota.exceeded': quota,
  'webhook.test': webhookTest,
} as const satisfies { [T in EventType]: z.ZodObject };

/**
 * The envelope every event shares, each field as any sender may fill it (any id, any type): what
 * a receiver reads. What ReviewSense itself puts there is `eventSchema`.
 */
export const envelopeSchema = z.object({
  id: z.string(),
  type: z.string(),
  created_at: timestamp,
  api_version: z.string(),
  data: z.looseObject({}),
});

export const ENVELOPE_KEYS = Object.keys(envelopeSchema.shape) as (keyof typeof envelopeSchema.shape)[];

/** "id, type, created_at, api_version and data": the envelope's fields as a sentence names them. */
export const ENVELOPE_KEYS_TEXT = `${ENVELOPE_KEYS.slice(0, -1).join(', ')} and ${ENVELOPE_KEYS.at(-1)}`;

/** An event of `type` exactly as ReviewSense sends it: no field missing, none added. */
export function eventSchema<T extends EventType>(type: T) {
  return envelopeSchema.extend({
    id: z.string().startsWith(EVENT_ID_PREFIX),
    type: z.literal(type),
    api_version: z.literal(API_VERSION),
    data: EVENT_DATA[type],
  }).strict();
}

export type EventDataByType = { [T in EventType]: z.output<(typeof EVENT_DATA)[T]> };

export type Envelope<T extends EventType = EventType> = Omit<z.output<typeof envelopeSchema>, 'type' | 'data'> & {
  type: T;
  data: EventDataByType[T];
};
