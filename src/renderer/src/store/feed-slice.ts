import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api';
import type { Attempt } from '../../../shared/attempt';
import type { ForwardingStatus } from '../../../shared/outgoing';
import type { DeliverySummary } from '../../../shared/delivery';
import { withAttempt } from '../lib/with-attempt';
import { EMPTY_FILTER, matchesFilter, toQuery, type FeedFilter } from './feed-filter';
import type { AppState } from './index';

export const PAGE_SIZE = 200;
/**
 * Rows the feed holds while it follows the newest: pushes drop the oldest beyond it (fetched again
 * by page when scrolled to), so a long session neither grows nor copies more per frame.
 */
export const FEED_ROWS = 3 * PAGE_SIZE;

export interface FeedSlice {
  items: DeliverySummary[];
  filter: FeedFilter;
  hasMore: boolean;
  loading: boolean;
  /** A page (or its failure) has come back: until then an empty feed is loading, not "nothing matches". */
  feedLoaded: boolean;
  feedError: string | null;
  /** Why the last "Delete all" failed, shown next to it. */
  clearError: string | null;
  /** Deliveries that arrived while a text search was active (the index decides if they match). */
  unseenWhileSearching: number;
  selectedId: number | null;
  /** Rows added to the selection with Ctrl/Cmd- or Shift-click; two selected rows are compared. */
  alsoSelected: number[];
  /** The far end of a range made with Shift (click or ↑/↓): the row the keyboard is on while it grows. */
  rangeEnd: number | null;
  loadFeed: () => Promise<void>;
  loadMore: () => Promise<void>;
  setFilter: (change: Partial<FeedFilter>) => void;
  clearFilter: () => void;
  /** Applies deliveries pushed since the last flush (a frame, at most every FEED_FRAME_GAP_MS), in one update. */
  applyPushed: (batch: DeliverySummary[]) => void;
  /** Back at the top: lets go of older rows that scrolling loaded beyond FEED_ROWS. */
  keepNewest: () => void;
  /** Shows pushed attempts (forwards, replays) in their deliveries' rows, in one update. */
  applyAttempts: (attempts: Attempt[]) => void;
  /** Rows the core changed after pushing them (mirror mode: the answer really sent). */
  applyUpdated: (deliveries: DeliverySummary[]) => void;
  /** Rows whose forward left the queue (answered, dropped, cleared) stop saying "queued". */
  applyForwardQueue: (forwarding: ForwardingStatus) => void;
  select: (id: number | null) => void;
  /** Ctrl/Cmd-click: adds the row to the selection, or takes it out. */
  toggleSelect: (id: number) => void;
  /** Shift-click: every row from the open one to this one. */
  selectRange: (id: number) => void;
  /** ↑/↓ (±1), PageUp/PageDown (± a page), Home/End (±Infinity): one row, from the one the keyboard is on. */
  moveSelection: (delta: number) => void;
  /** Shift+↑/↓: grows or shrinks the range from the open row by one row. */
  extendSelection: (delta: number) => void;
  removeFromFeed: (id: number) => void;
  /** Deletes every stored delivery; false (and `clearError`) when that failed. */
  clearAll: () => Promise<boolean>;
}

export function createFeedSlice(api: Api, now: () => number): StateCreator<AppState, [], [], FeedSlice> {
  // Only the newest request may write its answer; a slow old page must not overwrite it.
  let request = 0;

  return (set, get) => ({
    items: [],
    filter: EMPTY_FILTER,
    hasMore: false,
    loading: false,
    feedLoaded: false,
    feedError: null,
    clearError: null,
    unseenWhileSearching: 0,
    selectedId: null,
    alsoSelected: [],
    rangeEnd: null,

    async loadFeed() {
      const mine = ++request;
      set({ loading: true, feedError: null });
      try {
        const filter = get().filter;
        const page = await api.listDeliveries({ ...toQuery(filter, now()), limit: PAGE_SIZE });
        if (mine !== request) return;
        // Deliveries pushed while the page was on its way may be newer than the page: keep them.
        const newest = page[0]?.id ?? 0;
        const arrived = get().items.filter((item) => item.id > newest && matchesFilter(item, filter, now()) === true);
        const rows = arrived.concat(page);
        set({ items: rows.slice(0, FEED_ROWS), hasMore: page.length === PAGE_SIZE || rows.length > FEED_ROWS, loading: false, feedLoaded: true, unseenWhileSearching: 0 });
      } catch (error) {
        if (mine === request) set({ loading: false, feedLoaded: true, feedError: (error as Error).message });
      }
    },

    async loadMore() {
      const { items, hasMore, loading, filter } = get();
      const last = items[items.length - 1];
      if (!hasMore || loading || !last) return;
      const mine = ++request;
      set({ loading: true });
      try {
        const page = await api.listDeliveries({ ...toQuery(filter, now()), beforeId: last.id, limit: PAGE_SIZE });
        if (mine !== request) return;
        set({ items: [...get().items, ...page], hasMore: page.length === PAGE_SIZE, loading: false });
      } catch (error) {
        if (mine === request) set({ loading: false, feedError: (error as Error).message });
      }
    },

    setFilter(change) {
      set({ filter: { ...get().filter, ...change } });
      void get().loadFeed();
    },

    clearFilter() {
      set({ filter: EMPTY_FILTER });
      void get().loadFeed();
    },

    applyPushed(batch) {
      if (batch.length === 0) return;
      const { filter, items, loading, hasMore } = get();
      const at = now();
      // Ids only grow, so anything at or below the newest shown row is already in the feed.
      const newest = items[0]?.id ?? 0;
      const fresh: DeliverySummary[] = [];
      let unknown = 0;
      for (const delivery of batch) {
        if (delivery.id <= newest) continue;
        const verdict = matchesFilter(delivery, filter, at);
        if (verdict === true) fresh.push(delivery);
        else if (verdict === 'unknown') unknown++;
      }
      fresh.sort((a, b) => b.id - a.id);
      if (fresh.length === 0) {
        if (unknown > 0) set({ unseenWhileSearching: get().unseenWhileSearching + unknown });
        return;
      }
      // At most FEED_ROWS, or as many as scrolling down loaded: rows the user scrolled to stay put.
      // None dropped while a page is on its way, since it is appended after the row it was asked for.
      const room = loading ? Infinity : Math.max(FEED_ROWS, items.length);
      const rows = fresh.length >= room ? fresh.slice(0, room) : fresh.concat(items.slice(0, room - fresh.length));
      const dropped = fresh.length + items.length > rows.length;
      set({ items: rows, hasMore: hasMore || dropped, unseenWhileSearching: get().unseenWhileSearching + unknown });
    },

    keepNewest() {
      const { items, loading } = get();
      if (loading || items.length <= FEED_ROWS) return;
      set({ items: items.slice(0, FEED_ROWS), hasMore: true });
    },

    applyAttempts(attempts) {
      const newest = new Map<number, Attempt>();
      for (const attempt of attempts) {
        if (attempt.deliveryId === null) continue;
        const seen = newest.get(attempt.deliveryId);
        if (!seen || seen.id < attempt.id) newest.set(attempt.deliveryId, attempt);
      }
      if (newest.size === 0) return;
      let changed = false;
      const items = get().items.map((item) => {
        const attempt = newest.get(item.id);
        if (!attempt) return item;
        changed = true;
        return withAttempt(item, attempt);
      });
      if (changed) set({ items });
    },

    applyUpdated(updated) {
      if (updated.length === 0) return;
      const byId = new Map(updated.map((delivery) => [delivery.id, delivery]));
      let changed = false;
      const items = get().items.map((item) => {
        const fresh = byId.get(item.id);
        if (!fresh) return item;
        changed = true;
        return fresh;
      });
      if (changed) set({ items });
    },

    applyForwardQueue(forwarding) {
      const { items: waiting, count } = forwarding.queue;
      const listed = new Set(waiting.map((item) => item.deliveryId));
      // The queue lists its oldest items in id order: a row older than the first, or missing from a
      // complete list, has left it (answered, dropped, cleared).
      const complete = waiting.length === count;
      const oldest = waiting[0]?.deliveryId ?? Number.POSITIVE_INFINITY;
      const left = (id: number) => !listed.has(id) && (complete || id < oldest);
      let changed = false;
      const items = get().items.map((item) => {
        if (!item.forwardQueued || !left(item.id)) return item;
        changed = true;
        return { ...item, forwardQueued: false };
      });
      if (changed) set({ items });
    },

    select(id) {
      set({ selectedId: id, alsoSelected: [], rangeEnd: null });
    },

    toggleSelect(id) {
      const { selectedId, alsoSelected } = get();
      if (selectedId === null) set({ selectedId: id, alsoSelected: [], rangeEnd: null });
      else if (id === selectedId) set({ selectedId: alsoSelected[0] ?? selectedId, alsoSelected: alsoSelected.slice(1), rangeEnd: null });
      else set({ alsoSelected: alsoSelected.includes(id) ? alsoSelected.filter((other) => other !== id) : [...alsoSelected, id], rangeEnd: null });
    },

    selectRange(id) {
      const { items, selectedId } = get();
      const from = items.findIndex((item) => item.id === selectedId);
      const to = items.findIndex((item) => item.id === id);
      if (selectedId === null || from === -1 || to === -1) {
        set({ selectedId: id, alsoSelected: [], rangeEnd: null });
        return;
      }
      const range = items.slice(Math.min(from, to), Math.max(from, to) + 1).map((item) => item.id);
      set({ alsoSelected: range.filter((other) => other !== selectedId), rangeEnd: id });
    },

    moveSelection(delta) {
      const { items, selectedId, rangeEnd } = get();
      if (items.length === 0) return;
      const from = rangeEnd ?? selectedId;
      const index = from === null ? -1 : items.findIndex((item) => item.id === from);
      // Nothing open yet: End goes to the last row, any other key to the first.
      const next = index === -1 ? (delta === Number.POSITIVE_INFINITY ? items.length - 1 : 0) : Math.min(items.length - 1, Math.max(0, index + delta));
      set({ selectedId: items[next]?.id ?? null, alsoSelected: [], rangeEnd: null });
      if (next >= items.length - 20) void get().loadMore();
    },

    extendSelection(delta) {
      const { items, selectedId, rangeEnd } = get();
      const index = items.findIndex((item) => item.id === (rangeEnd ?? selectedId));
      if (selectedId === null || index === -1) {
        get().moveSelection(delta);
        return;
      }
      const next = items[Math.min(items.length - 1, Math.max(0, index + delta))];
      if (next) get().selectRange(next.id);
    },

    async clearAll() {
      try {
        await api.clearDeliveries();
      } catch (error) {
        set({ clearError: (error as Error).message });
        return false;
      }
      set({ items: [], selectedId: null, alsoSelected: [], rangeEnd: null, hasMore: false, clearError: null });
      return true;
    },

    removeFromFeed(id) {
      const { items, selectedId, alsoSelected, rangeEnd } = get();
      set({
        items: items.filter((item) => item.id !== id),
        selectedId: selectedId === id ? null : selectedId,
        alsoSelected: alsoSelected.filter((other) => other !== id),
        rangeEnd: rangeEnd === id ? null : rangeEnd,
      });
    },
  });
}
