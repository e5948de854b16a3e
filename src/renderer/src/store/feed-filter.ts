import type { DeliveryFilter, DeliverySummary, DuplicateFilter } from '../../../shared/delivery';
import type { SignatureStatus } from '../../../shared/reviewsense/event-types';

export type TimeRange = 'all' | '15m' | '1h' | '24h' | '7d';

export const TIME_RANGES: Record<TimeRange, { label: string; ms: number | null }> = {
  all: { label: 'All time', ms: null },
  '15m': { label: 'Last 15 min', ms: 15 * 60_000 },
  '1h': { label: 'Last hour', ms: 60 * 60_000 },
  '24h': { label: 'Last 24 h', ms: 24 * 60 * 60_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 24 * 60 * 60_000 },
};

/** What the filter bar shows; turned into a query by `toQuery`. */
export interface FeedFilter {
  types: string[];
  signatures: SignatureStatus[];
  duplicates: DuplicateFilter;
  text: string;
  range: TimeRange;
}

export const EMPTY_FILTER: FeedFilter = { types: [], signatures: [], duplicates: 'all', text: '', range: 'all' };

export function isFiltered(filter: FeedFilter): boolean {
  return filter.types.length > 0 || filter.signatures.length > 0 || filter.duplicates !== 'all' || filter.text.trim() !== '' || filter.range !== 'all';
}

export function toQuery(filter: FeedFilter, now: number): DeliveryFilter {
  const range = TIME_RANGES[filter.range].ms;
  return {
    ...(filter.types.length ? { types: filter.types } : {}),
    ...(filter.signatures.length ? { signatures: filter.signatures } : {}),
    ...(filter.duplicates !== 'all' ? { duplicates: filter.duplicates } : {}),
    ...(filter.text.trim() ? { text: filter.text.trim() } : {}),
    ...(range !== null ? { since: now - range } : {}),
  };
}

/**
 * Whether a pushed delivery belongs in the current view. Free text is matched by the core's
 * full-text index, so with text set the answer is "unknown" (the view offers a refresh).
 */
export function matchesFilter(delivery: DeliverySummary, filter: FeedFilter, now: number): boolean | 'unknown' {
  if (filter.types.length && !filter.types.includes(delivery.eventType ?? '')) return false;
  if (filter.signatures.length && !filter.signatures.includes(delivery.signatureStatus)) return false;
  if (filter.duplicates === 'only' && delivery.duplicateOf === null) return false;
  if (filter.duplicates === 'exclude' && delivery.duplicateOf !== null) return false;
  const range = TIME_RANGES[filter.range].ms;
  if (range !== null && delivery.receivedAt < now - range) return false;
  return filter.text.trim() ? 'unknown' : true;
}
