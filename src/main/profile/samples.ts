import { API_VERSION, type Envelope, type EventDataByType, type EventType } from '../../shared/reviewsense/catalogue';
import { newAnalysisId, newEventId, newPrefixedId } from './ids';

/** Sample `data` for each event type, typed by the catalogue's schema (the tests parse each with it too). */
type SampleFactory<T extends EventType> = (now: number) => EventDataByType[T];

function reviewId(): string {
  return `wc_rev_${1000 + Math.floor(Math.random() * 9000)}`;
}

function quota(now: number, usage: number, limit: number): EventDataByType['quota.warning'] {
  const start = new Date(now);
  const periodStart = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), 1));
  const periodEnd = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));
  return {
    plan: 'growth',
    usage,
    limit,
    percent: Math.floor((usage / limit) * 100),
    period_start: periodStart.toISOString(),
    period_end: periodEnd.toISOString(),
  };
}

const SAMPLE_DATA: { [T in EventType]: SampleFactory<T> } = {
  'review.analysed': (now) => ({
    analysis_id: newAnalysisId(now),
    review_id: reviewId(),
    sentiment: 'positive',
    score: 87,
    topics: ['shipping', 'quality'],
    response_draft: 'Thank you for your kind words!...',
  }),
  'review.flagged': (now) => ({
    analysis_id: newAnalysisId(now),
    review_id: reviewId(),
    reason: 'spam',
    confidence: 0.94,
    excerpt: 'BUY CHEAP WATCHES at example.invalid!!!',
  }),
  'review.responded': (now) => ({
    analysis_id: newAnalysisId(now),
    review_id: reviewId(),
    response_id: newPrefixedId('rs_rsp_', now),
    response_text: 'Thanks for the feedback, we are glad the parcel arrived quickly.',
    posted_at: new Date(now).toISOString(),
    auto_posted: true,
  }),
  'review.response_ready': (now) => ({
    analysis_id: newAnalysisId(now),
    review_id: reviewId(),
    draft_id: newPrefixedId('rs_dft_', now),
    response_draft: 'We are sorry to hear about the delay. Could you send us your order number?',
    sentiment: 'negative',
  }),
  'quota.warning': (now) => quota(now, 8000, 10000),
  'quota.exceeded': (now) => quota(now, 10000, 10000),
  'webhook.test': (now) => ({
    message: 'This is a test event sent from the ReviewSense dashboard.',
    endpoint_id: newPrefixedId('rs_whe_', now),
  }),
};

export function sampleData<T extends EventType>(type: T, now: number = Date.now()): EventDataByType[T] {
  return SAMPLE_DATA[type](now);
}

/** A complete envelope of `type` with a fresh event id; `data` fields may be overridden. */
export function sampleEvent<T extends EventType>(
  type: T,
  options: { now?: number; id?: string; data?: Partial<EventDataByType[T]> } = {},
): Envelope<T> {
  const now = options.now ?? Date.now();
  return {
    id: options.id ?? newEventId(now),
    type,
    created_at: new Date(now).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    api_version: API_VERSION,
    data: { ...sampleData(type, now), ...options.data },
  };
}
