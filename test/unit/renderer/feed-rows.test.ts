import { describe, expect, it } from 'vitest';
import { feedRowCount, feedRowId, feedRowIndex } from '../../../src/renderer/src/lib/feed-rows';

describe('the feed grid rows', () => {
  it('counts the header row and every delivery the feed would show, loaded or not', () => {
    // Everything loaded: the rows there are.
    expect(feedRowCount(3, false, 3)).toBe(4);
    expect(feedRowCount(3, false, null)).toBe(4);
    // Older pages still to fetch, unfiltered: the stored total (never less than what is loaded).
    expect(feedRowCount(600, true, 700)).toBe(701);
    expect(feedRowCount(600, true, 550)).toBe(601);
    // Filtered with pages to fetch: nobody knows yet, which ARIA says as -1.
    expect(feedRowCount(600, true, null)).toBe(-1);
  });

  it('numbers rows after the header and names them by delivery', () => {
    expect(feedRowIndex(0)).toBe(2);
    expect(feedRowIndex(599)).toBe(601);
    expect(feedRowId(42)).toBe('feed-row-42');
  });
});
