import { monotonicFactory } from 'ulid';
import { EVENT_ID_PREFIX } from '../../shared/reviewsense/catalogue';

// Monotonic so ids minted in the same millisecond still sort in creation order.
const nextUlid = monotonicFactory();

export const ANALYSIS_ID_PREFIX = 'rs_ana_';

export function newEventId(now: number = Date.now()): string {
  return EVENT_ID_PREFIX + nextUlid(now);
}

export function newAnalysisId(now: number = Date.now()): string {
  return ANALYSIS_ID_PREFIX + nextUlid(now);
}

export function newPrefixedId(prefix: string, now: number = Date.now()): string {
  return prefix + nextUlid(now);
}
