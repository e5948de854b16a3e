import type { StateCreator } from 'zustand';
import type { Api, AppStatus } from '../../../shared/api';
import type { DeliverySummary } from '../../../shared/delivery';
import type { TunnelStatus } from '../../../shared/tunnel-status';
import type { RelayStatus } from '../../../shared/relay';
import { newest } from '../../../shared/revision';
import type { AppState } from './index';

export interface StatusSlice {
  status: AppStatus | null;
  statusError: string | null;
  /** The last start/stop failure, shown next to the tunnel buttons. */
  tunnelError: string | null;
  tunnelBusy: boolean;
  /** False while the browser shell's event stream is down (the core stopped, or the network). */
  connected: boolean;
  setConnected: (connected: boolean) => void;
  loadStatus: () => Promise<void>;
  /** Takes a status, but never counts older than the ones shown (see `throughId`). */
  setStatus: (status: AppStatus) => void;
  setTunnel: (tunnel: TunnelStatus) => void;
  setRelay: (relay: RelayStatus) => void;
  /** Counts follow pushed deliveries without asking the core to count again. */
  countPushed: (batch: DeliverySummary[]) => void;
  /** The last sentence for screen readers about what arrived (a summary, never one per delivery); `seq` makes a repeat heard again. */
  announcement: { text: string; seq: number } | null;
  announce: (text: string) => void;
  startTunnel: () => Promise<void>;
  stopTunnel: () => Promise<void>;
}

export function createStatusSlice(api: Api): StateCreator<AppState, [], [], StatusSlice> {
  let streamOpened = false;
  // Deliveries pushed before the first status: counted once it arrives, unless it includes them.
  let beforeStatus: DeliverySummary[] = [];

  return (set, get, store) => {
    /**
     * The stream's first open, after the first page was asked for: deliveries committed between
     * that page's read and the open were pushed to no one. The status read now says the highest id
     * committed; the feed is fetched again only when the page it has is older than that.
     */
    async function catchUpAfterFirstOpen(): Promise<void> {
      await get().loadStatus();
      const through = get().status?.counts.throughId ?? 0;
      if (get().loading) await new Promise<void>((done) => {
        const unsubscribe = store.subscribe((state) => {
          if (!state.loading) (unsubscribe(), done());
        });
      });
      if ((get().items[0]?.id ?? 0) < through) void get().loadFeed();
    }

    /** Runs a tunnel call; failures become a message, never an exception in a click handler. */
    async function tunnelCall(call: () => Promise<TunnelStatus>): Promise<void> {
      set({ tunnelBusy: true });
      try {
        get().setTunnel(await call());
        set({ tunnelError: null });
      } catch (error) {
        set({ tunnelError: (error as Error).message });
      } finally {
        set({ tunnelBusy: false });
      }
    }

    return {
      status: null,
      statusError: null,
      tunnelError: null,
      tunnelBusy: false,
      connected: true,
      announcement: null,

      announce(text) {
        set({ announcement: { text, seq: (get().announcement?.seq ?? 0) + 1 } });
      },

      setConnected(connected) {
        const wasDown = !get().connected;
        const firstOpen = connected && !streamOpened;
        if (connected) streamOpened = true;
        set({ connected });
        // Back after a drop: fetch again what was pushed while nobody listened.
        if (connected && firstOpen && !wasDown) void catchUpAfterFirstOpen();
        else if (connected && wasDown) {
          void get().loadStatus();
          void get().loadFeed();
          void get().loadOutgoing();
          void get().loadStorage();
          // Tries made while the stream was down: the open timeline catches up.
          if (get().simulateSource) void get().loadSimulations();
        }
      },

      async loadStatus() {
        try {
          get().setStatus(await api.getStatus());
          set({ statusError: null });
        } catch (error) {
          set({ statusError: (error as Error).message });
        }
      },

      setStatus(status) {
        const current = get().status;
        // An answer the event stream overtook (revision.ts): taking it would unsay what the newer
        // status said, a background problem say, until the next change.
        if (newest(current, status) !== status) return;
        // Counts also move with pushed deliveries (countPushed): a status read before the counts
        // shown would take back deliveries already counted. Equal is taken: a deletion keeps
        // throughId and lowers the totals.
        const counts = current && status.counts.throughId < current.counts.throughId ? current.counts : status.counts;
        // The tunnel and the relay are also pushed on their own, with revisions of their own.
        set({ status: { ...status, counts, tunnel: newest(current?.tunnel, status.tunnel), relay: newest(current?.relay, status.relay) } });
        if (beforeStatus.length > 0) {
          const batch = beforeStatus;
          beforeStatus = [];
          get().countPushed(batch);
        }
      },

      setTunnel(tunnel) {
        const status = get().status;
        if (status && newest(status.tunnel, tunnel) === tunnel) set({ status: { ...status, tunnel } });
      },

      setRelay(relay) {
        const status = get().status;
        if (status && newest(status.relay, relay) === relay) set({ status: { ...status, relay } });
      },

      countPushed(batch) {
        const status = get().status;
        if (!status) {
          beforeStatus = beforeStatus.concat(batch);
          return;
        }
        // A status may arrive before the frame flush, or even before the delivery event: whatever
        // its counts include (id <= throughId) must not be counted again.
        const { counts } = status;
        const bySignature = { ...counts.bySignature };
        let { total, duplicates, throughId } = counts;
        for (const delivery of batch) {
          if (delivery.id <= counts.throughId) continue;
          total += 1;
          bySignature[delivery.signatureStatus] += 1;
          if (delivery.duplicateOf !== null) duplicates += 1;
          throughId = Math.max(throughId, delivery.id);
        }
        if (throughId === counts.throughId) return;
        set({ status: { ...status, counts: { total, bySignature, duplicates, throughId } } });
      },

      startTunnel: () => tunnelCall(() => api.startTunnel()),
      stopTunnel: () => tunnelCall(() => api.stopTunnel()),
    };
  };
}
