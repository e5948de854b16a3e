/**
 * The ReviewSense event catalogue (spec: "Event Types" and "Payload Format").
 * Shared by the core and the renderer, so it must stay free of Node and DOM APIs.
 */

export const EVENT_TYPES = [
  'review.analysed',
  'review.flagged',
  'review.responded',
  'review.response_ready',
  'quota.warning',
  'quota.exceeded',
  'webhook.test',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export const API_VERSION = 'v1';

export const EVENT_DESCRIPTIONS: Record<EventType, string> = {
  'review.analysed': 'Sentiment analysis completed for a review.',
  'review.flagged': 'A review was flagged as potentially inappropriate or spam.',
  'review.responded': 'An auto-response was posted to a review.',
  'review.response_ready': 'An AI response draft is ready and awaiting approval.',
  'quota.warning': 'Monthly credit usage reached 80% of the plan limit.',
  'quota.exceeded': 'Monthly credits are exhausted.',
  'webhook.test': 'Sent manually from the dashboard to verify the endpoint is reachable.',
};

export type Sentiment = 'positive' | 'neutral' | 'negative' | 'mixed';

/** Exactly the fields of the spec's example payload. */
export interface ReviewAnalysedData {
  analysis_id: string;
  review_id: string;
  sentiment: Sentiment;
  /** 0–100, higher is more positive. */
  score: number;
  topics: string[];
  response_draft: string | null;
}

export type FlagReason = 'spam' | 'profanity' | 'off_topic' | 'personal_data' | 'fake_review';

export interface ReviewFlaggedData {
  analysis_id: string;
  review_id: string;
  reason: FlagReason;
  /** 0–1 confidence of the classifier. */
  confidence: number;
  excerpt: string;
}

export interface ReviewRespondedData {
  analysis_id: string;
  review_id: string;
  response_id: string;
  response_text: string;
  posted_at: string;
  /** True when posted without a human approving the draft. */
  auto_posted: boolean;
}

export interface ReviewResponseReadyData {
  analysis_id: string;
  review_id: string;
  draft_id: string;
  response_draft: string;
  sentiment: Sentiment;
}

export interface QuotaData {
  plan: string;
  /** Credits used in the current period. */
  usage: number;
  limit: number;
  /** usage / limit × 100, rounded down. */
  percent: number;
  period_start: string;
  period_end: string;
}

export interface WebhookTestData {
  message: string;
  endpoint_id: string;
}

export interface EventDataByType {
  'review.analysed': ReviewAnalysedData;
  'review.flagged': ReviewFlaggedData;
  'review.responded': ReviewRespondedData;
  'review.response_ready': ReviewResponseReadyData;
  'quota.warning': QuotaData;
  'quota.exceeded': QuotaData;
  'webhook.test': WebhookTestData;
}

export interface Envelope<T extends EventType = EventType> {
  id: string;
  type: T;
  created_at: string;
  api_version: string;
  data: EventDataByType[T];
}

export const SIGNATURE_HEADER = 'x-reviewsense-signature';

export type SignatureStatus = 'valid' | 'invalid' | 'missing' | 'malformed' | 'unchecked';

export const SIGNATURE_STATUSES: readonly SignatureStatus[] = ['valid', 'invalid', 'missing', 'malformed', 'unchecked'];

/** ReviewSense's success rule: a 2xx within this many milliseconds. */
export const DELIVERY_DEADLINE_MS = 10_000;
