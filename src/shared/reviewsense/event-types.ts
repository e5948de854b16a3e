/**
 * The names of the ReviewSense catalogue, without zod: the event types in the spec's order and what
 * each means, the signature statuses, the deadline. The renderer's first script (feed, filters)
 * needs only these; the schemas are in `catalogue.ts`, which is checked against this list.
 */
export const API_VERSION = 'v1';
export const EVENT_ID_PREFIX = 'evt_';

/** Every event type ReviewSense sends, in the spec's order, with what it means. */
export const EVENT_DESCRIPTIONS = {
  'review.analysed': 'Sentiment analysis completed for a review.',
  'review.flagged': 'A review was flagged as potentially inappropriate or spam.',
  'review.responded': 'An auto-response was posted to a review.',
  'review.response_ready': 'An AI response draft is ready and awaiting approval.',
  'quota.warning': 'Monthly credit usage reached 80% of the plan limit.',
  'quota.exceeded': 'Monthly credits are exhausted.',
  'webhook.test': 'Sent manually from the dashboard to verify the endpoint is reachable.',
} as const;

export type EventType = keyof typeof EVENT_DESCRIPTIONS;

export const EVENT_TYPES = Object.keys(EVENT_DESCRIPTIONS) as [EventType, ...EventType[]];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(EVENT_DESCRIPTIONS, value);
}

export const SIGNATURE_HEADER = 'x-reviewsense-signature';

export type SignatureStatus = 'valid' | 'invalid' | 'missing' | 'malformed' | 'unchecked';

export const SIGNATURE_STATUSES: readonly SignatureStatus[] = ['valid', 'invalid', 'missing', 'malformed', 'unchecked'];

/** ReviewSense's success rule: a 2xx within this many milliseconds. */
export const DELIVERY_DEADLINE_MS = 10_000;
