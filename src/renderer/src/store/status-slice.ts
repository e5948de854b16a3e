import type { StateCreator } from 'zustand';
import type { Api, AppStatus } from '../../../shared/api';
import type { DeliverySummary } from '../../../shared/delivery';
import type { TunnelStatus } from '../../../shared/tunnel-status';
import type { AppState } from './index';

export interface StatusSlice {
  status: AppStatus | null;
  statusError: string | null;
  tunnelBusy: boolean;
  /** False while the browser shell's event stream is down (the core stopped, or the network). */
  connected: boolean;
  setConnected: (connected: boolean) => void;
  loadStatus: () => Promise<void>;
  setStatus: (status: AppStatus) => void;
  setTunnel: (tunnel: TunnelStatus) => void;
  /** Counts follow pushed deliveries without asking the core to count again. */
  countPushed: (batch: DeliverySummary[]) => void;
  startTunnel: () => Promise<void>;
  stopTunnel: () => Promise<void>;
}

export function createStatusSlice(api: Api): StateCreator<AppState, [], [], StatusSlice> {
  let streamOpened = false;
  return (set, get) => ({
    status: null,
    statusError: null,
    tunnelBusy: false,
    connected: true,

    setConnected(connected) {
      const wasDown = !get().connected;
      const firstOpen = connected && !streamOpened;
      if (connected) streamOpened = true;
      set({ connected });
      // Back after a drop, or open for the first time after the first page was read: fetch again
      // what was pushed while nobody listened.
      if (connected && (wasDown || firstOpen)) {
        void get().loadStatus();
        void get().loadFeed();
      }
    },

    async loadStatus() {
      try {
        set({ status: await api.getStatus(), statusError: null });
      } catch (error) {
        set({ statusError: (error as Error).message });
      }
    },

    setStatus(status) {
      set({ status });
    },

    setTunnel(tunnel) {
      const status = get().status;
      if (status) set({ status: { ...status, tunnel } });
    },

    countPushed(batch) {
      const status = get().status;
      if (!status || batch.length === 0) return;
      const bySignature = { ...status.counts.bySignature };
      let duplicates = status.counts.duplicates;
      for (const delivery of batch) {
        bySignature[delivery.signatureStatus] += 1;
        if (delivery.duplicateOf !== null) duplicates += 1;
      }
      set({ status: { ...status, counts: { total: status.counts.total + batch.length, bySignature, duplicates } } });
    },

    async startTunnel() {
      set({ tunnelBusy: true });
      try {
        get().setTunnel(await api.startTunnel());
      } catch (error) {
        set({ statusError: (error as Error).message });
      } finally {
        set({ tunnelBusy: false });
      }
    },

    async stopTunnel() {
      set({ tunnelBusy: true });
      try {
        get().setTunnel(await api.stopTunnel());
      } finally {
        set({ tunnelBusy: false });
      }
    },
  });
}
