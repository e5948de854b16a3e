// The feed slice on a real core: paging, pushes per frame, filters, the selection, bounded rows.
import { describe, expect, it } from 'vitest';
import { FEED_ROWS, PAGE_SIZE } from '../../../src/renderer/src/store/feed-slice';
import { deliver, deliverMany, idsOf, pageToTheEnd, runFrame, storedIds, stream, t, useStoreHarness } from './store-harness';

useStoreHarness();

describe('feed slice', () => {
  it('loads the newest page and pages on with keyset paging', async () => {
    const eventIds = await deliverMany(PAGE_SIZE + 5);
    // Until a page comes back, an empty feed is loading (app.tsx), not "nothing matches".
    expect(t.store.getState().feedLoaded).toBe(false);
    await t.store.getState().loadFeed();
    expect(t.store.getState().feedLoaded).toBe(true);
    expect(t.store.getState().items).toHaveLength(PAGE_SIZE);
    expect(t.store.getState().hasMore).toBe(true);
    await t.store.getState().loadMore();
    const items = t.store.getState().items;
    expect(items).toHaveLength(PAGE_SIZE + 5);
    expect(t.store.getState().hasMore).toBe(false);
    // Newest first with no gap or overlap between the pages.
    expect(items.map((item) => item.id)).toEqual(items.map((item) => item.id).sort((a, b) => b - a));
    expect(new Set(items.map((item) => item.eventId))).toEqual(new Set(eventIds));
  });

  it('applies pushed deliveries once per animation frame, newest first, filtered', async () => {
    await t.store.getState().loadFeed();
    t.store.getState().setFilter({ types: ['review.flagged'] });
    await Promise.resolve();
    const flagged = await deliver('review.flagged');
    await deliver('review.analysed');
    const flagged2 = await deliver('review.flagged');
    expect(t.store.getState().items).toHaveLength(0);
    expect(t.frames).toHaveLength(1);
    runFrame();
    expect(t.store.getState().items.map((item) => item.eventId)).toEqual([flagged2, flagged]);
  });

  it('keeps deliveries pushed while a page is loading', async () => {
    const older = await deliver('review.analysed');
    const loading = t.store.getState().loadFeed();
    // Committed and pushed after the page's query ran.
    t.store.getState().applyPushed([{ ...t.running.inspector.listDeliveries()[0]!, id: 10_000, eventId: 'evt_arrived_meanwhile' }]);
    await loading;
    expect(t.store.getState().items.map((item) => item.eventId)).toEqual(['evt_arrived_meanwhile', older]);
  });

  it('counts pushed deliveries it cannot judge while a text search is active', async () => {
    t.store.getState().setFilter({ text: 'shipping' });
    await deliver('review.analysed');
    runFrame();
    expect(t.store.getState().unseenWhileSearching).toBe(1);
    await t.store.getState().loadFeed();
    expect(t.store.getState().unseenWhileSearching).toBe(0);
    expect(t.store.getState().items).toHaveLength(1);
  });

  it('filters by signature and duplicates through the core, and clears', async () => {
    const id = await deliver('review.analysed');
    await deliver('review.analysed', { id });
    await deliver('quota.warning', { secret: 'whsec_wrong' });
    t.store.getState().setFilter({ signatures: ['invalid'] });
    await t.store.getState().loadFeed();
    expect(t.store.getState().items.map((item) => item.eventType)).toEqual(['quota.warning']);
    t.store.getState().setFilter({ signatures: [], duplicates: 'only' });
    await t.store.getState().loadFeed();
    expect(t.store.getState().items.map((item) => item.deliveryNumber)).toEqual([2]);
    t.store.getState().clearFilter();
    await t.store.getState().loadFeed();
    expect(t.store.getState().items).toHaveLength(3);
  });

  it('moves the selection within bounds', async () => {
    await deliver('webhook.test');
    await deliver('webhook.test');
    await t.store.getState().loadFeed();
    const [newest, oldest] = t.store.getState().items;
    t.store.getState().moveSelection(1);
    expect(t.store.getState().selectedId).toBe(newest?.id);
    t.store.getState().moveSelection(1);
    t.store.getState().moveSelection(1);
    expect(t.store.getState().selectedId).toBe(oldest?.id);
    t.store.getState().moveSelection(-5);
    expect(t.store.getState().selectedId).toBe(newest?.id);
  });

  it('Home/End and pages from the row the keyboard is on; Shift+↑/↓ grows and shrinks a range from the open row', async () => {
    await deliverMany(6);
    await t.store.getState().loadFeed();
    const ids = t.store.getState().items.map((item) => item.id);
    // Nothing open yet: End opens the last row, any other key the first.
    t.store.getState().moveSelection(Number.POSITIVE_INFINITY);
    expect(t.store.getState().selectedId).toBe(ids[5]);
    t.store.getState().moveSelection(Number.NEGATIVE_INFINITY);
    expect(t.store.getState().selectedId).toBe(ids[0]);
    t.store.getState().moveSelection(4);
    expect(t.store.getState().selectedId).toBe(ids[4]);
    t.store.getState().moveSelection(-3);
    expect(t.store.getState().selectedId).toBe(ids[1]);

    t.store.getState().extendSelection(1);
    t.store.getState().extendSelection(1);
    expect(t.store.getState().selectedId).toBe(ids[1]);
    expect(t.store.getState().alsoSelected.toSorted()).toEqual([ids[2], ids[3]].toSorted());
    expect(t.store.getState().rangeEnd).toBe(ids[3]);
    t.store.getState().extendSelection(-1);
    expect(t.store.getState().alsoSelected).toEqual([ids[2]]);
    // Past the open row the range grows the other way.
    t.store.getState().extendSelection(-2);
    expect(t.store.getState().alsoSelected).toEqual([ids[0]]);
    expect(t.store.getState().rangeEnd).toBe(ids[0]);
    // A plain move goes on from the far end of the range, and the range ends.
    t.store.getState().moveSelection(1);
    expect(t.store.getState().selectedId).toBe(ids[1]);
    expect(t.store.getState().alsoSelected).toEqual([]);
    expect(t.store.getState().rangeEnd).toBeNull();
  });

  it('holds at most FEED_ROWS, newest first, while deliveries stream in; a selected row let go keeps its detail; paging down reaches every older one', async () => {
    await deliverMany(10);
    await t.store.getState().loadFeed();
    const oldest = t.store.getState().items.at(-1)!.id;
    t.store.getState().select(oldest);
    await t.store.getState().loadDetail(oldest);

    await stream(FEED_ROWS + 100);
    const { items, hasMore, selectedId, view } = t.store.getState();
    expect(items).toHaveLength(FEED_ROWS);
    expect(idsOf(items)).toEqual(storedIds().slice(0, FEED_ROWS));
    expect(hasMore).toBe(true);
    // Out of the feed, still selected and open.
    expect(idsOf(items)).not.toContain(oldest);
    expect(selectedId).toBe(oldest);
    expect(view?.delivery.id).toBe(oldest);

    await pageToTheEnd();
    expect(idsOf(t.store.getState().items)).toEqual(storedIds());
  });

  it('keeps the rows scrolling loaded while deliveries arrive, and lets them go once back at the top', async () => {
    await deliverMany(FEED_ROWS + 50);
    await t.store.getState().loadFeed();
    await pageToTheEnd();
    expect(t.store.getState().items).toHaveLength(FEED_ROWS + 50);

    // Rows the user scrolled to stay where they are: the newest come in, as many of the oldest go.
    await stream(5);
    expect(idsOf(t.store.getState().items)).toEqual(storedIds().slice(0, FEED_ROWS + 50));
    expect(t.store.getState().hasMore).toBe(true);

    t.store.getState().keepNewest();
    expect(idsOf(t.store.getState().items)).toEqual(storedIds().slice(0, FEED_ROWS));
    await pageToTheEnd();
    expect(idsOf(t.store.getState().items)).toEqual(storedIds());
  });

  it('appends a page that was on its way while deliveries arrived after the row it was asked for, leaving no gap', async () => {
    await deliverMany(PAGE_SIZE);
    await t.store.getState().loadFeed();
    await stream(FEED_ROWS);
    expect(t.store.getState().items).toHaveLength(FEED_ROWS);

    await Promise.all(Array.from({ length: 5 }, () => deliver('webhook.test')));
    const paging = t.store.getState().loadMore();
    runFrame();
    await paging;
    await pageToTheEnd();
    expect(idsOf(t.store.getState().items)).toEqual(storedIds());
  });
});
