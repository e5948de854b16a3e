/**
 * The ReviewSense event catalogue (spec: "Event Types" and "Payload Format"), written once as zod
 * schemas. The types, the receiver's envelope reading, the composer's check and the samples all
 * derive from them. Bundled into the core, the renderer and the preload: zod, nothing of Node or the DOM.
 */
import { z } from 'zod';

export const API_VERSION = 'v1';
export const EVENT_ID_PREFIX = 'evt_';

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

/** Every event type ReviewSense sends, in the spec's order, with what its `data` holds. */
export const EVENTS = {
  'review.analysed': { description: 'Sentiment analysis completed for a review.', data: reviewAnalysed },
  'review.flagged': { description: 'A review was flagged as potentially inappropriate or spam.', data: reviewFlagged },
  'review.responded': { description: 'An auto-response was posted to a review.', data: reviewResponded },
  'review.response_ready': { description: 'An AI response draft is ready and awaiting approval.', data: reviewResponseReady },
  'quota.warning': { description: 'Monthly credit usage reached 80% of the plan limit.', data: quota },
  'quota.exceeded': { description: 'Monthly credits are exhausted.', data: quota },
  'webhook.test': { description: 'Sent manually from the dashboard to verify the endpoint is reachable.', data: webhookTest },
} as const satisfies Record<string, { description: string; data: z.ZodObject }>;

export type EventType = keyof typeof EVENTS;

export const EVENT_TYPES = Object.keys(EVENTS) as [EventType, ...EventType[]];

export const EVENT_DESCRIPTIONS = Object.fromEntries(EVENT_TYPES.map((type) => [type, EVENTS[type].description])) as Record<EventType, string>;

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(EVENTS, value);
}

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
    data: EVENTS[type].data,
  }).strict();
}

export type EventDataByType = { [T in EventType]: z.output<(typeof EVENTS)[T]['data']> };

export type Envelope<T extends EventType = EventType> = Omit<z.output<typeof envelopeSchema>, 'type' | 'data'> & {
  type: T;
  data: EventDataByType[T];
};

export const SIGNATURE_HEADER = 'x-reviewsense-signature';

export type SignatureStatus = 'valid' | 'invalid' | 'missing' | 'malformed' | 'unchecked';

export const SIGNATURE_STATUSES: readonly SignatureStatus[] = ['valid', 'invalid', 'missing', 'malformed', 'unchecked'];

/** ReviewSense's success rule: a 2xx within this many milliseconds. */
export const DELIVERY_DEADLINE_MS = 10_000;
