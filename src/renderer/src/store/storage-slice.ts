import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api';
import { newest } from '../../../shared/revision';
import { isLargeAndKeepingEverything, type RetentionPolicy, type StorageStatus } from '../../../shared/storage';
import type { AppState } from './index';
import { actionRunner } from './run-action';

export interface StorageSlice {
  storage: StorageStatus | null;
  /** Why the last retention or compaction action failed, shown in Settings → Data. */
  storageError: string | null;
  /** The 1 GiB notice was dismissed: not shown again in this window. */
  largeDatabaseNoticeDismissed: boolean;
  loadStorage: () => Promise<void>;
  /** A pushed (or fetched) status: the size, a prune that ended, a compaction's progress. */
  setStorage: (status: StorageStatus) => void;
  saveRetention: (policy: RetentionPolicy) => Promise<boolean>;
  compact: () => Promise<boolean>;
  dismissLargeDatabaseNotice: () => void;
}

/** The notice that a database keeping everything passed 1 GiB: while it does, until dismissed. */
export function largeDatabaseNoticeShown(state: Pick<StorageSlice, 'storage' | 'largeDatabaseNoticeDismissed'>): boolean {
  return !state.largeDatabaseNoticeDismissed && state.storage !== null && isLargeAndKeepingEverything(state.storage);
}

export function createStorageSlice(api: Api): StateCreator<AppState, [], [], StorageSlice> {
  return (set, get) => {
    const storageCall = actionRunner(set, 'storageError');
    return {
      storage: null,
      storageError: null,
      largeDatabaseNoticeDismissed: false,

      async loadStorage() {
        await storageCall(async () => get().setStorage(await api.getStorage()));
      },

      setStorage(status) {
        const previous = get().storage;
        // An answer that left the core before a pushed status must not take it back (revision.ts).
        if (newest(previous, status) !== status) return;
        set({ storage: status });
        const pruned = status.lastPrune;
        if (pruned && pruned.deleted > 0 && pruned.throughId !== previous?.lastPrune?.throughId) {
          // Rows on screen may be gone: the list and the open delivery are read again.
          const { items, selectedId } = get();
          if (items.some((item) => item.id <= pruned.throughId)) void get().loadFeed();
          if (selectedId !== null && selectedId <= pruned.throughId) void get().loadDetail(selectedId);
        }
      },

      saveRetention: (policy) => storageCall(async () => get().setStorage(await api.setRetention(policy))),
      compact: () => storageCall(async () => get().setStorage(await api.compact())),

      dismissLargeDatabaseNotice() {
        set({ largeDatabaseNoticeDismissed: true });
      },
    };
  };
}
