import type { StateCreator } from 'zustand';
import type { Api, DeliveryView } from '../../../shared/api';
import type { Attempt } from '../../../shared/attempt';
import type { DeliverySummary } from '../../../shared/delivery';
import type { SnippetLanguage } from '../../../shared/verify-snippets';
import { withAttempt } from '../lib/with-attempt';
import type { AppState } from './index';

export type DetailTab = 'payload' | 'headers' | 'signature' | 'deliveries' | 'attempts' | 'verify';

export interface DetailSlice {
  view: DeliveryView | null;
  detailError: string | null;
  /** Why the last Delete failed, shown next to the button. */
  deleteError: string | null;
  tab: DetailTab;
  /** The Verify tab's language, kept from one delivery to the next. */
  verifyLanguage: SnippetLanguage;
  loadDetail: (id: number | null) => Promise<void>;
  /**
   * Lays pushed news onto the open delivery where it lands: its new attempts, its answer once
   * known, and further deliveries of its event, so nothing is read back from the core.
   */
  applyPushedToView: (pushed: PushedNews) => void;
  setTab: (tab: DetailTab) => void;
  setVerifyLanguage: (language: SnippetLanguage) => void;
  deleteSelected: () => Promise<void>;
}

export interface PushedNews {
  received: readonly DeliverySummary[];
  updated: readonly DeliverySummary[];
  attempts: readonly Attempt[];
}

export function createDetailSlice(api: Api): StateCreator<AppState, [], [], DetailSlice> {
  let request = 0;
  return (set, get) => ({
    view: null,
    detailError: null,
    deleteError: null,
    tab: 'payload',
    verifyLanguage: 'node',

    async loadDetail(id) {
      const mine = ++request;
      // A Delete or Replay failure is about the open delivery; refreshing that one keeps it on screen.
      if (id !== get().view?.delivery.id) set({ deleteError: null, replayError: null });
      if (id === null) {
        set({ view: null, detailError: null });
        return;
      }
      try {
        const view = await api.getDelivery(id);
        if (mine !== request) return;
        set({ view, detailError: view ? null : `Delivery #${id} no longer exists.` });
      } catch (error) {
        if (mine === request) set({ detailError: (error as Error).message });
      }
    },

    applyPushedToView(pushed) {
      const view = get().view;
      if (!view) return;
      const next = viewWithNews(view, pushed);
      if (next !== view) set({ view: next });
    },

    setTab(tab) {
      set({ tab });
    },

    setVerifyLanguage(language) {
      set({ verifyLanguage: language });
    },

    async deleteSelected() {
      const id = get().selectedId;
      if (id === null) return;
      try {
        await api.deleteDelivery(id);
      } catch (error) {
        set({ deleteError: (error as Error).message });
        return;
      }
      get().removeFromFeed(id);
      set({ view: null, deleteError: null });
    },
  });
}

/** The open delivery with the news applied; the same object when none of it is about this delivery. */
function viewWithNews(view: DeliveryView, { received, updated, attempts }: PushedNews): DeliveryView {
  const open = view.delivery;
  const eventId = open.eventId;
  const mine = attempts.filter((attempt) => attempt.deliveryId === open.id);
  const answered = updated.find((summary) => summary.id === open.id);
  const relatedNews = eventId ? [...received, ...updated].filter((summary) => summary.eventId === eventId) : [];
  if (mine.length === 0 && !answered && relatedNews.length === 0) return view;
  const delivery = answered ? { ...open, ...answered } : open;
  const newest = mine.reduce<Attempt | null>((a, b) => (a && a.id > b.id ? a : b), null);
  return {
    delivery: newest ? withAttempt(delivery, newest) : delivery,
    related: relatedNews.length > 0 ? mergeById(view.related, relatedNews, (a, b) => a.id - b.id) : view.related,
    // An attempt pushed again (a forward answered after it was queued) replaces its earlier self.
    attempts: mine.length > 0 ? mergeById(view.attempts, mine, (a, b) => b.id - a.id) : view.attempts,
  };
}

function mergeById<T extends { id: number }>(list: readonly T[], news: readonly T[], order: (a: T, b: T) => number): T[] {
  const byId = new Map(list.map((item) => [item.id, item]));
  for (const item of news) byId.set(item.id, item);
  return [...byId.values()].sort(order);
}
