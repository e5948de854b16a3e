import { describe, expect, it } from 'vitest';
import { eventIdRanges } from '../../../src/main/store/id-search';
import type { DeliveryFilter } from '../../../src/shared/delivery';
import { newDelivery } from '../../helpers/deliveries';
import { withTempStore } from '../../helpers/temp-store';

describe('what the search box takes for an event id', () => {
  it('is evt_ and anything after it, or a ULID start of four characters or more with a letter', () => {
    for (const text of ['evt_', 'evt_01', 'EVT_01jq', ' evt_01JQ4Z ', '01JQ', '01jq4z9', '01JQ4Z9XK2M3N4P5Q6R7S8T9V0']) expect(eventIdRanges(text), text).not.toBeNull();
    // Numbers, dates, words and longer phrases stay full-text searches.
    for (const text of ['0', '01', '0123', '2026-01-05', 'evt_01 shipping', 'shipping', 'evt', 'rs_ana_01JQ', '01JQ*', '1JQ4']) expect(eventIdRanges(text), text).toBeNull();
    expect(eventIdRanges('evt_01jq')).toEqual([
      ['evt_01jq', 'evt_01jr'],
      ['evt_01JQ', 'evt_01JR'],
    ]);
  });
});

describe('an event id search', () => {
  const t = withTempStore();
  // Enough ids under one start that the search walks the feed (past 10,000), and few under others
  // that it reads the id index: both plans must give what reading every row gives.
  const MANY = 10_050;

  /** The newest deliveries whose event id starts with `prefix` (any case), by reading every row. */
  function expected(rows: { id: number; eventId: string | null; eventType: string | null }[], prefix: string, filter: DeliveryFilter): number[] {
    return rows
      .filter((row) => row.eventId !== null && row.eventId.toLowerCase().startsWith(prefix.toLowerCase()))
      .filter((row) => (filter.beforeId === undefined || row.id < filter.beforeId) && (!filter.types?.length || filter.types.includes(row.eventType as string)))
      .map((row) => row.id)
      .sort((a, b) => b - a)
      .slice(0, filter.limit ?? 200);
  }

  it('finds the newest deliveries whose id starts so, in feed order, whether few or most ids match', async () => {
    const writes = [];
    for (let i = 0; i < MANY + 60; i++) {
      const eventId =
        i % 200 === 7 ? `evt_01JQB${String(i).padStart(21, '0')}`
        : i % 500 === 11 ? `evt_01jqc${String(i).padStart(21, '0')}`
        : i % 300 === 13 ? null
        : `evt_01JQA${String(i).padStart(21, '0')}`;
      writes.push(t.store.writeDelivery(newDelivery({ eventId, eventType: i % 3 === 0 ? 'review.flagged' : 'review.analysed', searchText: JSON.stringify({ id: eventId }) })));
    }
    const rows = (await Promise.all(writes)).map((summary) => ({ id: summary.id, eventId: summary.eventId, eventType: summary.eventType }));

    const cases: [string, string, DeliveryFilter][] = [
      ['evt_01JQA', 'evt_01JQA', {}],
      ['evt_01jqa', 'evt_01JQA', { limit: 7 }],
      ['01JQA', 'evt_01JQA', { beforeId: 5_000, limit: 30 }],
      ['evt_01JQB', 'evt_01JQB', {}],
      ['01jqb', 'evt_01JQB', { types: ['review.flagged'] }],
      ['evt_01JQC', 'evt_01jqc', {}],
      ['evt_01JQB000000000000000000007', 'evt_01JQB000000000000000000007', {}],
      ['evt_', 'evt_', { beforeId: 3_000, types: ['review.flagged'], limit: 50 }],
      ['evt_01JQZ', 'evt_01JQZ', {}],
    ];
    for (const [text, prefix, filter] of cases) {
      expect(t.store.deliveries.list({ ...filter, text }).map((d) => d.id), `${text} ${JSON.stringify(filter)}`).toEqual(expected(rows, prefix, filter));
    }
    // An export of the same search selects the same deliveries, oldest first.
    const exported = t.store.exports.page({ filter: { text: '01jqb', types: ['review.flagged'] } }, 0, 1_000).map((d) => d.id);
    expect(exported).toEqual(expected(rows, 'evt_01JQB', { types: ['review.flagged'], limit: 1_000 }).reverse());
    expect(t.store.exports.count({ filter: { text: 'evt_01JQA' } })).toBe(expected(rows, 'evt_01JQA', { limit: 100_000 }).length);
    // Paging on from the last row of a page neither repeats nor skips one.
    const first = t.store.deliveries.list({ text: 'evt_01JQB', limit: 20 });
    const next = t.store.deliveries.list({ text: 'evt_01JQB', limit: 20, beforeId: first.at(-1)?.id });
    expect([...first, ...next].map((d) => d.id)).toEqual(expected(rows, 'evt_01JQB', { limit: 40 }));
  });
});
