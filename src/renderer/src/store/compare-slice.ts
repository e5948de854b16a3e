import type { StateCreator } from 'zustand';
import type { Api, DeliveryView } from '../../../shared/api';
import { diffDeliveries, type DeliveryDiff } from '../../../shared/delivery-diff';
import { originalDeleted } from '../lib/original-link';
import type { AppState } from './index';

export interface Comparison {
  /** The older of the two (the original, for a retry). */
  left: DeliveryView;
  right: DeliveryView;
  diff: DeliveryDiff;
}

export interface CompareSlice {
  comparison: Comparison | null;
  /** Why the two could not be loaded. */
  compareError: string | null;
  /** Loads both deliveries and compares them; null clears. */
  loadComparison: (pair: readonly [number, number] | null) => Promise<void>;
  /** "Compare with original" (c): the open retry next to the delivery it repeats. */
  compareWithOriginal: () => boolean;
  /** Back to one selected delivery. */
  endComparison: () => void;
}

/** The two deliveries to compare when exactly two rows are selected, older first. */
export function comparePair(state: Pick<AppState, 'selectedId' | 'alsoSelected'>): [number, number] | null {
  if (state.selectedId === null || state.alsoSelected.length !== 1) return null;
  const other = state.alsoSelected[0] as number;
  return state.selectedId < other ? [state.selectedId, other] : [other, state.selectedId];
}

export function createCompareSlice(api: Api): StateCreator<AppState, [], [], CompareSlice> {
  let request = 0;
  return (set, get) => ({
    comparison: null,
    compareError: null,

    async loadComparison(pair) {
      const mine = ++request;
      if (pair === null) {
        set({ comparison: null, compareError: null });
        return;
      }
      const known = get().comparison;
      if (known && known.left.delivery.id === pair[0] && known.right.delivery.id === pair[1]) return;
      set({ comparison: null, compareError: null });
      try {
        const [left, right] = await Promise.all(pair.map((id) => api.getDelivery(id)));
        if (mine !== request) return;
        const gone = !left ? pair[0] : !right ? pair[1] : null;
        if (gone !== null || !left || !right) {
          set({ compareError: `Delivery #${gone} no longer exists.` });
          return;
        }
        const diff = diffDeliveries(left.delivery, right.delivery);
        set({ comparison: { left, right, diff } });
      } catch (error) {
        if (mine === request) set({ compareError: (error as Error).message });
      }
    },

    compareWithOriginal() {
      const { items, view, selectedId } = get();
      // The feed row knows already; the detail may still be on its way (c right after a click).
      const delivery = items.find((item) => item.id === selectedId) ?? (view?.delivery.id === selectedId ? view.delivery : undefined);
      if (!delivery) return false;
      if (delivery.duplicateOf === null) {
        get().showNotice(`Delivery #${delivery.id} is the first delivery of its event${delivery.eventId ? '' : ' (it has no event id)'}: there is no original to compare it with.`, 'bad');
        return false;
      }
      if (view?.delivery.id === delivery.id && originalDeleted(view)) {
        get().showNotice(`The original of delivery #${delivery.id}, #${delivery.duplicateOf}, was deleted: there is nothing to compare it with.`, 'bad');
        return false;
      }
      set({ alsoSelected: [delivery.duplicateOf], rangeEnd: null });
      return true;
    },

    endComparison() {
      set({ alsoSelected: [], rangeEnd: null });
    },
  });
}
