import type { StateCreator } from 'zustand';
import type { Api, DeliveryView } from '../../../shared/api';
import type { SnippetLanguage } from '../../../shared/verify-snippets';
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
  setTab: (tab: DetailTab) => void;
  setVerifyLanguage: (language: SnippetLanguage) => void;
  deleteSelected: () => Promise<void>;
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
