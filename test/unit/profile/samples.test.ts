import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, eventSchema } from '../../../src/shared/reviewsense/catalogue';
import { newAnalysisId, newEventId } from '../../../src/main/profile/ids';
import { sampleEvent } from '../../../src/main/profile/samples';
import { MAX_RETRIES, RETRY_SCHEDULE, retryDelaysText, retryTimes, tryWhen } from '../../../src/shared/reviewsense/retry-schedule';

const ULID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

describe('ids', () => {
  it('are prefixed ULIDs that sort in creation order', () => {
    const ids = Array.from({ length: 50 }, () => newEventId(1_777_000_000_000));
    for (const id of ids) expect(id.slice(4)).toMatch(ULID);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(50);
    expect(newAnalysisId()).toMatch(/^rs_ana_[0-9A-HJKMNP-TV-Z]{26}$/);
  });
});

describe('sampleEvent', () => {
  it.each(EVENT_TYPES)('builds a complete %s envelope', (type) => {
    const event = sampleEvent(type, { now: Date.UTC(2026, 3, 24, 14, 30) });
    expect(event.type).toBe(type);
    expect(event.id).toMatch(/^evt_/);
    expect(event.api_version).toBe('v1');
    expect(event.created_at).toBe('2026-04-24T14:30:00Z');
    expect(Object.keys(event.data).length).toBeGreaterThan(1);
    expect(JSON.parse(JSON.stringify(event))).toEqual(event);
  });

  it.each(EVENT_TYPES)('builds a %s that its catalogue schema accepts as ReviewSense would send it', (type) => {
    const event = sampleEvent(type);
    expect(eventSchema(type).safeParse(event).error).toBeUndefined();
    // Through JSON as it goes on the wire, too.
    expect(eventSchema(type).parse(JSON.parse(JSON.stringify(event)))).toEqual(event);
  });

  it('has the spec example fields for review.analysed', () => {
    const { data } = sampleEvent('review.analysed');
    expect(Object.keys(data).sort()).toEqual(['analysis_id', 'response_draft', 'review_id', 'score', 'sentiment', 'topics']);
    expect(data.analysis_id).toMatch(/^rs_ana_/);
  });

  it('computes quota percent from usage and limit', () => {
    expect(sampleEvent('quota.warning').data.percent).toBe(80);
    expect(sampleEvent('quota.exceeded').data.percent).toBe(100);
  });

  it('lets fields be overridden', () => {
    const event = sampleEvent('review.flagged', { id: 'evt_fixed', data: { reason: 'profanity' } });
    expect(event.id).toBe('evt_fixed');
    expect(event.data.reason).toBe('profanity');
  });
});

describe('retry schedule', () => {
  it('is the spec schedule: 5 min, 30 min, 2 h, 6 h, 24 h', () => {
    expect(RETRY_SCHEDULE.map((step) => step.delayMs / 60_000)).toEqual([5, 30, 120, 360, 1440]);
    expect(MAX_RETRIES).toBe(5);
    expect(retryTimes(0)).toEqual([5, 35, 155, 515, 1955].map((minutes) => minutes * 60_000));
  });
});

describe('retry schedule text', () => {
  it('reads as the spec writes it', () => {
    expect(retryDelaysText()).toBe('5 min, 30 min, 2 h, 6 h and 24 h');
  });

  it('names each try by the wait after the one before and the time since the first, never one as the other', () => {
    expect([1, 2, 3, 4, 5, 6].map(tryWhen)).toEqual([
      'try 1 · the first',
      'try 2 · 5 min after the first',
      'try 3 · 30 min after try 2 · 35 min after the first',
      'try 4 · 2 h after try 3 · 2 h 35 min after the first',
      'try 5 · 6 h after try 4 · 8 h 35 min after the first',
      'try 6 · 24 h after try 5 · 32 h 35 min after the first',
    ]);
  });
});
