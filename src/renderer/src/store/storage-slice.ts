import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api';
import { LARGE_DATABASE_BYTES, type RetentionPolicy, type StorageStatus } from '../../../shared/storage';
import type { AppState } from './index';
import { actionRunner } from './run-action';

export interface StorageSlice {
  storage: StorageStatus | null;
  /** Why the last retention or compaction action failed, shown in Settings → Data. */
  storageError: string | null;
  /**
   * The notice that a database keeping everything passed 1 GiB: shown once a session when it
   * does, until dismissed (or a policy is chosen); never again after that in this window.
   */
  largeDatabaseNotice: 'hidden' | 'shown' | 'dismissed';
  loadStorage: () => Promise<void>;
  /** A pushed (or fetched) status: the size, a prune that ended, a compaction's progress. */
  setStorage: (status: StorageStatus) => void;
  saveRetention: (policy: RetentionPolicy) => Promise<boolean>;
  compact: () => Promise<boolean>;
  dismissLargeDatabaseNotice: () => void;
}

/** Whether the 1 GiB notice applies to this status (keeping everything, and past the mark). */
export function isLargeAndKeepingEverything(status: StorageStatus): boolean {
  return status.retention.kind === 'all' && status.bytes > LARGE_DATABASE_BYTES;
}

export function createStorageSlice(api: Api): StateCreator<AppState, [], [], StorageSlice> {
  return (set, get) => {
    const storageCall = actionRunner(set, 'storageError');
    return {
      storage: null,
      storageError: null,
      largeDatabaseNotice: 'hidden',

      async loadStorage() {
        await storageCall(async () => get().setStorage(await api.getStorage()));
      },

      setStorage(status) {
        const previous = get().storage;
        // An answer that left the core before a pushed status must not take it back.
        if (previous && status.revision < previous.revision) return;
        const notice = get().largeDatabaseNotice;
        const large = isLargeAndKeepingEverything(status);
        set({
          storage: status,
          largeDatabaseNotice: notice === 'dismissed' ? notice : notice === 'shown' && status.retention.kind !== 'all' ? 'dismissed' : large ? 'shown' : notice,
        });
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
        set({ largeDatabaseNotice: 'dismissed' });
      },
    };
  };
}
