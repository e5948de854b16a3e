import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Api } from '../../../shared/api';
import type { DeliverySummary } from '../../../shared/delivery';
import { createDetailSlice, type DetailSlice } from './detail-slice';
import { createFeedSlice, type FeedSlice } from './feed-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';
import { createStatusSlice, type StatusSlice } from './status-slice';

export type AppState = FeedSlice & DetailSlice & StatusSlice & SettingsSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(api: Api, now: () => number = Date.now): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createFeedSlice(api, now)(...a),
    ...createDetailSlice(api)(...a),
    ...createStatusSlice(api)(...a),
    ...createSettingsSlice(api)(...a),
  }));
}

type Schedule = (flush: () => void) => void;

/**
 * Wires the core's pushed events into the store. Deliveries are queued and applied once per
 * animation frame, so a burst of a thousand is one render, not a thousand.
 */
export function connectStore(store: AppStore, api: Api, schedule: Schedule = (flush) => requestAnimationFrame(flush)): () => void {
  let queue: DeliverySummary[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    const state = store.getState();
    state.applyPushed(batch);
    state.countPushed(batch);
    const open = state.view?.delivery;
    if (open?.eventId && batch.some((delivery) => delivery.eventId === open.eventId)) void state.loadDetail(open.id);
  };
  const unsubscribes = [
    api.on('delivery', (delivery) => {
      queue.push(delivery);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    }),
    api.on('status', (status) => store.getState().setStatus(status)),
    api.on('tunnel', (tunnel) => store.getState().setTunnel(tunnel)),
    api.on('attempt', (attempt) => {
      const state = store.getState();
      if (attempt.deliveryId !== null && attempt.deliveryId === state.view?.delivery.id) void state.loadDetail(attempt.deliveryId);
    }),
  ];
  if (api.onConnection) unsubscribes.push(api.onConnection((connected) => store.getState().setConnected(connected)));
  return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
}

export function useAppStore<T>(store: AppStore, selector: (state: AppState) => T): T {
  return useStore(store, selector);
}
