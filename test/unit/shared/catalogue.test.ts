import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../../../src/main/profile/samples';
import {
  ENVELOPE_KEYS,
  ENVELOPE_KEYS_TEXT,
  EVENT_DESCRIPTIONS,
  EVENT_TYPES,
  EVENT_DATA,
  envelopeSchema,
  eventSchema,
  isEventType,
} from '../../../src/shared/reviewsense/catalogue';

describe('the ReviewSense catalogue', () => {
  it('lists the spec event types in its order, each with a description and a data schema', () => {
    expect(EVENT_TYPES).toEqual(['review.analysed', 'review.flagged', 'review.responded', 'review.response_ready', 'quota.warning', 'quota.exceeded', 'webhook.test']);
    expect(Object.keys(EVENT_DATA)).toEqual(EVENT_TYPES);
    for (const type of EVENT_TYPES) expect(EVENT_DESCRIPTIONS[type]).toMatch(/^[A-Z].+\.$/);
  });

  it('knows an event type by name only', () => {
    expect(isEventType('quota.warning')).toBe(true);
    for (const other of ['quota', 'toString', '__proto__', 'constructor', null, 1]) expect(isEventType(other), String(other)).toBe(false);
  });

  it('names the envelope fields in the spec order', () => {
    expect(ENVELOPE_KEYS).toEqual(['id', 'type', 'created_at', 'api_version', 'data']);
    expect(ENVELOPE_KEYS_TEXT).toBe('id, type, created_at, api_version and data');
  });

  it('holds the spec example payload to review.analysed', () => {
    const example = {
      id: 'evt_01JXXXXXXXXXXXXX',
      type: 'review.analysed',
      created_at: '2026-04-24T14:30:00Z',
      api_version: 'v1',
      data: {
        analysis_id: 'rs_ana_01JXXXXXXXXXXXXX',
        review_id: 'wc_rev_1042',
        sentiment: 'positive',
        score: 87,
        topics: ['shipping', 'quality'],
        response_draft: 'Thank you for your kind words!...',
      },
    };
    expect(eventSchema('review.analysed').parse(example)).toEqual(example);
    expect(eventSchema('review.flagged').safeParse(example).success).toBe(false);
  });

  it('refuses an event ReviewSense would not send: a field missing or added, a wrong kind, range, prefix or version', () => {
    const event = sampleEvent('quota.warning');
    const schema = eventSchema('quota.warning');
    const refused = (value: unknown) => !schema.safeParse(value).success;
    const { plan: _plan, ...withoutPlan } = event.data;
    expect(refused({ ...event, data: withoutPlan })).toBe(true);
    expect(refused({ ...event, data: { ...event.data, extra: 1 } })).toBe(true);
    expect(refused({ ...event, extra: 1 })).toBe(true);
    expect(refused({ ...event, data: { ...event.data, usage: 80.5 } })).toBe(true);
    expect(refused({ ...event, data: { ...event.data, usage: -1 } })).toBe(true);
    expect(refused({ ...event, data: { ...event.data, period_end: 'tomorrow' } })).toBe(true);
    expect(refused({ ...event, data: { ...event.data, period_end: '2026-02-31T25:00:00Z' } })).toBe(true);
    expect(refused({ ...event, id: 'abc' })).toBe(true);
    expect(refused({ ...event, api_version: 'v2' })).toBe(true);
    expect(refused({ ...event, type: 'quota.exceeded' })).toBe(true);
    // Whole numbers of any size JSON writes, as Number.isInteger judges them.
    expect(refused({ ...event, data: { ...event.data, usage: 1e20 } })).toBe(false);
  });

  it('reads any sender\'s envelope by kind: any id string, any type string', () => {
    const read = envelopeSchema.safeParse({ id: 'abc', type: 'made.up', created_at: '2026-04-24T14:30:00+02:00', api_version: 'v9', data: {} });
    expect(read.success).toBe(true);
    expect(envelopeSchema.safeParse({ id: 1, type: 'x', created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data: [] }).success).toBe(false);
  });
});
