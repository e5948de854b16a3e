import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { Api } from '../../../shared/api';
import type { Attempt } from '../../../shared/attempt';
import type { DeliverySummary } from '../../../shared/delivery';
import { createDeliveryAnnouncer, realTimers, type AnnounceTimers } from '../lib/announcer';
import { pacedFrames, type Schedule } from '../lib/paced-frames';
import { createCheckSlice, type CheckSlice } from './check-slice';
import { createCompareSlice, type CompareSlice } from './compare-slice';
import { createComposerSlice, type ComposerSlice } from './composer-slice';
import { createDetailSlice, type DetailSlice } from './detail-slice';
import { createExportSlice, type ExportSlice } from './export-slice';
import { createFeedSlice, type FeedSlice } from './feed-slice';
import { createForwardingSlice, type ForwardingSlice } from './forwarding-slice';
import { createReplaySlice, type ReplaySlice } from './replay-slice';
import { createSettingsSlice, type SettingsSlice } from './settings-slice';
import { createSimulationSlice, type SimulationSlice } from './simulation-slice';
import { createStatusSlice, type StatusSlice } from './status-slice';
import { createStorageSlice, type StorageSlice } from './storage-slice';

export type AppState = FeedSlice &
  DetailSlice &
  StatusSlice &
  SettingsSlice &
  ComposerSlice &
  ReplaySlice &
  ForwardingSlice &
  CheckSlice &
  SimulationSlice &
  ExportSlice &
  CompareSlice &
  StorageSlice;
export type AppStore = StoreApi<AppState>;

export function createAppStore(api: Api, now: () => number = Date.now): AppStore {
  return createStore<AppState>()((...a) => ({
    ...createFeedSlice(api, now)(...a),
    ...createDetailSlice(api)(...a),
    ...createStatusSlice(api)(...a),
    ...createSettingsSlice(api)(...a),
    ...createComposerSlice(api)(...a),
    ...createReplaySlice(api)(...a),
    ...createForwardingSlice(api)(...a),
    ...createCheckSlice(api)(...a),
    ...createSimulationSlice(api)(...a),
    ...createExportSlice(api, now)(...a),
    ...createCompareSlice(api)(...a),
    ...createStorageSlice(api)(...a),
  }));
}

/** Pushed deliveries are drawn at most this often while they stream in (see paced-frames.ts). */
export const FEED_FRAME_GAP_MS = 33;

/**
 * Wires the core's pushed events into the store. Deliveries are queued and applied in an
 * animation frame, at most one every FEED_FRAME_GAP_MS, so a burst of a thousand is one render,
 * not a thousand, and a stream of 200/s 20–30 renders a second, not 60. Attempts share the
 * queue: a forward's answer often arrives before its delivery's frame, and must land on its row.
 * What arrived is also told to screen readers, summed up (see announcer.ts).
 */
export function connectStore(
  store: AppStore,
  api: Api,
  schedule: Schedule = pacedFrames(FEED_FRAME_GAP_MS, realTimers, (run) => requestAnimationFrame(run)),
  timers: AnnounceTimers = realTimers,
): () => void {
  const announcer = createDeliveryAnnouncer((text) => store.getState().announce(text), timers);
  let queue: DeliverySummary[] = [];
  let updated: DeliverySummary[] = [];
  let attempts: Attempt[] = [];
  let scheduled = false;
  const flush = () => {
    scheduled = false;
    const batch = queue;
    const changed = updated;
    const answered = attempts;
    queue = [];
    updated = [];
    attempts = [];
    const state = store.getState();
    state.applyPushed(batch);
    state.countPushed(batch);
    announcer.add(batch);
    state.applyAttempts(answered);
    // After the attempts: an update read from the core already has the newest attempt.
    state.applyUpdated(changed);
    state.applyPushedToView({ received: batch, updated: changed, attempts: answered });
  };
  const later = () => {
    if (!scheduled) {
      scheduled = true;
      schedule(flush);
    }
  };
  const unsubscribes = [
    api.on('delivery', (delivery) => {
      queue.push(delivery);
      later();
    }),
    api.on('delivery-updated', (delivery) => {
      updated.push(delivery);
      later();
    }),
    api.on('status', (status) => store.getState().setStatus(status)),
    api.on('tunnel', (tunnel) => store.getState().setTunnel(tunnel)),
    api.on('relay', (relay) => store.getState().setRelay(relay)),
    api.on('forwarding', (forwarding) => {
      store.getState().setForwardingStatus(forwarding);
      store.getState().applyForwardQueue(forwarding);
    }),
    api.on('storage', (storage) => store.getState().setStorage(storage)),
    // Long work in the core reports as it goes; these are rare, so no batching.
    api.on('check', (progress) => store.getState().applyCheckProgress(progress)),
    api.on('simulation', (simulation) => store.getState().applySimulation(simulation)),
    api.on('export', (progress) => store.getState().applyExportProgress(progress)),
    api.on('attempt', (attempt) => {
      attempts.push(attempt);
      later();
      const state = store.getState();
      // Its answer in words, without leaving the tab the user is on; the attempt joins the open
      // delivery with the next frame's batch.
      if (attempt.deliveryId !== null && attempt.deliveryId === state.view?.delivery.id) state.showAttemptNotice(attempt);
    }),
  ];
  if (api.onConnection) unsubscribes.push(api.onConnection((connected) => store.getState().setConnected(connected)));
  return () => {
    unsubscribes.forEach((unsubscribe) => unsubscribe());
    announcer.dispose();
  };
}

export function useAppStore<T>(store: AppStore, selector: (state: AppState) => T): T {
  return useStore(store, selector);
}
