import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sampleEvent } from '../../../src/main/profile/samples';
import { sign } from '../../../src/main/profile/signature';
import { connectStore, createAppStore, type AppStore } from '../../../src/renderer/src/store';
import { FEED_ROWS, PAGE_SIZE } from '../../../src/renderer/src/store/feed-slice';
import type { Api } from '../../../src/shared/api';
import type { EventType } from '../../../src/shared/reviewsense/catalogue';
import { directApi } from '../../helpers/direct-api';
import { post } from '../../helpers/http';
import { startInspector, type RunningInspector } from '../../helpers/inspector';

const SECRET = 'whsec_test_current';
let running: RunningInspector;
let store: AppStore;
let api: Api;
let frames: (() => void)[];
let disconnect: () => void;

async function deliver(type: EventType, options: { id?: string; secret?: string } = {}) {
  const event = sampleEvent(type, options.id ? { id: options.id } : {});
  const body = JSON.stringify(event);
  await post(running.url, body, { 'x-reviewsense-signature': sign(options.secret ?? SECRET, body) });
  return event.id;
}

/** Posts `count` deliveries with event ids evt_0…, a few at a time (their order within a batch is the receiver's). */
async function deliverMany(count: number) {
  const ids = Array.from({ length: count }, (_, i) => `evt_${i}`);
  for (let i = 0; i < count; i += 25) await Promise.all(ids.slice(i, i + 25).map((id) => deliver('webhook.test', { id })));
  return ids;
}

function runFrame() {
  for (const frame of frames.splice(0)) frame();
}

/** Posts `count` deliveries as a stream the page follows: a frame after every few. */
async function stream(count: number) {
  for (let i = 0; i < count; i += 25) {
    await Promise.all(Array.from({ length: Math.min(25, count - i) }, () => deliver('webhook.test')));
    runFrame();
  }
}

/** Pages down until the core has no older row. */
async function pageToTheEnd() {
  while (store.getState().hasMore) await store.getState().loadMore();
}

const idsOf = (items: { id: number }[]) => items.map((item) => item.id);
/** Every stored delivery's id, newest first. */
const storedIds = () => idsOf(running.inspector.listDeliveries({ limit: 1000 }));

beforeEach(async () => {
  running = await startInspector();
  api = directApi(running.inspector);
  store = createAppStore(api);
  frames = [];
  disconnect = connectStore(store, api, (flush) => frames.push(flush));
});

afterEach(async () => {
  disconnect();
  await running.stop();
});

describe('feed slice', () => {
  it('loads the newest page and pages on with keyset paging', async () => {
    const eventIds = await deliverMany(PAGE_SIZE + 5);
    await store.getState().loadFeed();
    expect(store.getState().items).toHaveLength(PAGE_SIZE);
    expect(store.getState().hasMore).toBe(true);
    await store.getState().loadMore();
    const items = store.getState().items;
    expect(items).toHaveLength(PAGE_SIZE + 5);
    expect(store.getState().hasMore).toBe(false);
    // Newest first with no gap or overlap between the pages.
    expect(items.map((item) => item.id)).toEqual(items.map((item) => item.id).sort((a, b) => b - a));
    expect(new Set(items.map((item) => item.eventId))).toEqual(new Set(eventIds));
  });

  it('applies pushed deliveries once per animation frame, newest first, filtered', async () => {
    await store.getState().loadFeed();
    store.getState().setFilter({ types: ['review.flagged'] });
    await Promise.resolve();
    const flagged = await deliver('review.flagged');
    await deliver('review.analysed');
    const flagged2 = await deliver('review.flagged');
    expect(store.getState().items).toHaveLength(0);
    expect(frames).toHaveLength(1);
    runFrame();
    expect(store.getState().items.map((item) => item.eventId)).toEqual([flagged2, flagged]);
  });

  it('keeps deliveries pushed while a page is loading', async () => {
    const older = await deliver('review.analysed');
    const loading = store.getState().loadFeed();
    // Committed and pushed after the page's query ran.
    store.getState().applyPushed([{ ...running.inspector.listDeliveries()[0]!, id: 10_000, eventId: 'evt_arrived_meanwhile' }]);
    await loading;
    expect(store.getState().items.map((item) => item.eventId)).toEqual(['evt_arrived_meanwhile', older]);
  });

  it('counts pushed deliveries it cannot judge while a text search is active', async () => {
    store.getState().setFilter({ text: 'shipping' });
    await deliver('review.analysed');
    runFrame();
    expect(store.getState().unseenWhileSearching).toBe(1);
    await store.getState().loadFeed();
    expect(store.getState().unseenWhileSearching).toBe(0);
    expect(store.getState().items).toHaveLength(1);
  });

  it('filters by signature and duplicates through the core, and clears', async () => {
    const id = await deliver('review.analysed');
    await deliver('review.analysed', { id });
    await deliver('quota.warning', { secret: 'whsec_wrong' });
    store.getState().setFilter({ signatures: ['invalid'] });
    await store.getState().loadFeed();
    expect(store.getState().items.map((item) => item.eventType)).toEqual(['quota.warning']);
    store.getState().setFilter({ signatures: [], duplicates: 'only' });
    await store.getState().loadFeed();
    expect(store.getState().items.map((item) => item.deliveryNumber)).toEqual([2]);
    store.getState().clearFilter();
    await store.getState().loadFeed();
    expect(store.getState().items).toHaveLength(3);
  });

  it('moves the selection within bounds', async () => {
    await deliver('webhook.test');
    await deliver('webhook.test');
    await store.getState().loadFeed();
    const [newest, oldest] = store.getState().items;
    store.getState().moveSelection(1);
    expect(store.getState().selectedId).toBe(newest?.id);
    store.getState().moveSelection(1);
    store.getState().moveSelection(1);
    expect(store.getState().selectedId).toBe(oldest?.id);
    store.getState().moveSelection(-5);
    expect(store.getState().selectedId).toBe(newest?.id);
  });

  it('Home/End and pages from the row the keyboard is on; Shift+↑/↓ grows and shrinks a range from the open row', async () => {
    await deliverMany(6);
    await store.getState().loadFeed();
    const ids = store.getState().items.map((item) => item.id);
    // Nothing open yet: End opens the last row, any other key the first.
    store.getState().moveSelection(Number.POSITIVE_INFINITY);
    expect(store.getState().selectedId).toBe(ids[5]);
    store.getState().moveSelection(Number.NEGATIVE_INFINITY);
    expect(store.getState().selectedId).toBe(ids[0]);
    store.getState().moveSelection(4);
    expect(store.getState().selectedId).toBe(ids[4]);
    store.getState().moveSelection(-3);
    expect(store.getState().selectedId).toBe(ids[1]);

    store.getState().extendSelection(1);
    store.getState().extendSelection(1);
    expect(store.getState().selectedId).toBe(ids[1]);
    expect(store.getState().alsoSelected.toSorted()).toEqual([ids[2], ids[3]].toSorted());
    expect(store.getState().rangeEnd).toBe(ids[3]);
    store.getState().extendSelection(-1);
    expect(store.getState().alsoSelected).toEqual([ids[2]]);
    // Past the open row the range grows the other way.
    store.getState().extendSelection(-2);
    expect(store.getState().alsoSelected).toEqual([ids[0]]);
    expect(store.getState().rangeEnd).toBe(ids[0]);
    // A plain move goes on from the far end of the range, and the range ends.
    store.getState().moveSelection(1);
    expect(store.getState().selectedId).toBe(ids[1]);
    expect(store.getState().alsoSelected).toEqual([]);
    expect(store.getState().rangeEnd).toBeNull();
  });

  it('holds at most FEED_ROWS, newest first, while deliveries stream in; a selected row let go keeps its detail; paging down reaches every older one', async () => {
    await deliverMany(10);
    await store.getState().loadFeed();
    const oldest = store.getState().items.at(-1)!.id;
    store.getState().select(oldest);
    await store.getState().loadDetail(oldest);

    await stream(FEED_ROWS + 100);
    const { items, hasMore, selectedId, view } = store.getState();
    expect(items).toHaveLength(FEED_ROWS);
    expect(idsOf(items)).toEqual(storedIds().slice(0, FEED_ROWS));
    expect(hasMore).toBe(true);
    // Out of the feed, still selected and open.
    expect(idsOf(items)).not.toContain(oldest);
    expect(selectedId).toBe(oldest);
    expect(view?.delivery.id).toBe(oldest);

    await pageToTheEnd();
    expect(idsOf(store.getState().items)).toEqual(storedIds());
  });

  it('keeps the rows scrolling loaded while deliveries arrive, and lets them go once back at the top', async () => {
    await deliverMany(FEED_ROWS + 50);
    await store.getState().loadFeed();
    await pageToTheEnd();
    expect(store.getState().items).toHaveLength(FEED_ROWS + 50);

    // Rows the user scrolled to stay where they are: the newest come in, as many of the oldest go.
    await stream(5);
    expect(idsOf(store.getState().items)).toEqual(storedIds().slice(0, FEED_ROWS + 50));
    expect(store.getState().hasMore).toBe(true);

    store.getState().keepNewest();
    expect(idsOf(store.getState().items)).toEqual(storedIds().slice(0, FEED_ROWS));
    await pageToTheEnd();
    expect(idsOf(store.getState().items)).toEqual(storedIds());
  });

  it('appends a page that was on its way while deliveries arrived after the row it was asked for, leaving no gap', async () => {
    await deliverMany(PAGE_SIZE);
    await store.getState().loadFeed();
    await stream(FEED_ROWS);
    expect(store.getState().items).toHaveLength(FEED_ROWS);

    await Promise.all(Array.from({ length: 5 }, () => deliver('webhook.test')));
    const paging = store.getState().loadMore();
    runFrame();
    await paging;
    await pageToTheEnd();
    expect(idsOf(store.getState().items)).toEqual(storedIds());
  });

  it('on the event stream’s first open, reads the feed again only if a delivery came between its first page and the open', async () => {
    const reads = vi.spyOn(api, 'listDeliveries');
    await store.getState().loadFeed();
    store.getState().setConnected(true);
    await expect.poll(() => store.getState().status?.counts.total).toBe(0);
    expect(reads).toHaveBeenCalledTimes(1);

    // Another window: its first page, then a delivery pushed to no one (its stream is not open yet).
    const late = createAppStore(api);
    reads.mockClear();
    await late.getState().loadFeed();
    const missed = await deliver('review.flagged');
    late.getState().setConnected(true);
    await expect.poll(() => late.getState().items.map((item) => item.eventId)).toEqual([missed]);
    expect(reads).toHaveBeenCalledTimes(2);
  });

  it('fetches the feed again when the event stream comes back after a drop', async () => {
    await store.getState().loadFeed();
    store.getState().setConnected(false);
    disconnect();
    const missed = await deliver('review.flagged');
    expect(store.getState().items).toHaveLength(0);
    store.getState().setConnected(true);
    await expect.poll(() => store.getState().items.map((item) => item.eventId)).toEqual([missed]);
    expect(store.getState().connected).toBe(true);
    disconnect = () => undefined;
  });
});

describe('detail slice', () => {
  it('loads a delivery with its related deliveries and deletes it', async () => {
    const id = await deliver('review.responded');
    await deliver('review.responded', { id });
    await store.getState().loadFeed();
    const [second, first] = store.getState().items;
    store.getState().select(first?.id ?? null);
    await store.getState().loadDetail(first?.id ?? null);
    expect(store.getState().view?.related.map((d) => d.id)).toEqual([first?.id, second?.id]);
    await store.getState().deleteSelected();
    expect(store.getState().items.map((d) => d.id)).toEqual([second?.id]);
    expect(store.getState().selectedId).toBeNull();
    await store.getState().loadDetail(first?.id ?? null);
    expect(store.getState().detailError).toBe(`Delivery #${first?.id} no longer exists.`);
  });

  it('takes another delivery of its event into the open detail, as pushed, without reading it again', async () => {
    const id = await deliver('review.flagged');
    await store.getState().loadFeed();
    const only = store.getState().items[0]?.id ?? 0;
    await store.getState().loadDetail(only);
    runFrame();
    const reads = vi.spyOn(api, 'getDelivery');
    await deliver('review.flagged', { id });
    await expect
      .poll(() => {
        runFrame();
        return store.getState().view?.related.map((d) => [d.id, d.duplicateOf]);
      })
      .toEqual([
        [only, null],
        [only + 1, only],
      ]);
    expect(store.getState().view?.delivery.id).toBe(only);
    expect(reads).not.toHaveBeenCalled();
  });
});

describe('status and settings slices', () => {
  it('loads status and keeps counts current from pushed deliveries', async () => {
    await store.getState().loadStatus();
    expect(store.getState().status?.receiver.url).toBe(running.url);
    await deliver('webhook.test');
    await deliver('webhook.test', { secret: 'whsec_wrong' });
    runFrame();
    expect(store.getState().status?.counts).toMatchObject({ total: 2, bySignature: { valid: 1, invalid: 1 } });
  });

  it('adds, rotates and removes secrets, and reports refusals as messages', async () => {
    await store.getState().loadSettings();
    expect(store.getState().secrets.map((s) => s.source)).toEqual(['runtime']);
    expect(await store.getState().addSecret('staging', 'whsec_staging')).toBe(true);
    expect(store.getState().secrets.map((s) => s.label)).toEqual(['current', 'staging']);
    expect(JSON.stringify(store.getState().secrets)).not.toContain('whsec_staging');
    expect(await store.getState().removeSecret('runtime-1')).toBe(false);
    expect(store.getState().settingsError).toMatch(/for this run only/);
    expect(await store.getState().addSecret('again', 'whsec_staging')).toBe(false);
    expect(store.getState().settingsError).toMatch(/already configured as "staging"/);
    expect(await store.getState().rotateSecret('whsec_next')).toBe(true);
    expect(store.getState().settingsError).toBeNull();
  });

  it('saves a response mode and refuses an invalid one with the validator’s message', async () => {
    await store.getState().loadSettings();
    const response = store.getState().response;
    expect(response?.status).toBe(200);
    expect(await store.getState().saveResponse({ ...response!, status: 202 })).toBe(true);
    expect((await directApi(running.inspector).getResponse()).status).toBe(202);
    expect(await store.getState().saveResponse({ ...response!, delayMs: -1 })).toBe(false);
    expect(store.getState().settingsError).toBe('response.delayMs must be a whole number from 0 to 120000.');
  });
});
