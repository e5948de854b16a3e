import type { StateCreator } from 'zustand';
import type { Api } from '../../../shared/api';
import type { DeliveryFilter } from '../../../shared/delivery';
import type { ExportFormat, ExportProgress } from '../../../shared/exchange';
import { exportDownloadUrl } from '../lib/download';
import { NO_DRAWER } from './drawers';
import { earlyEvents } from './early-events';
import { toQuery } from './feed-filter';
import type { AppState } from './index';
import { actionRunner } from './run-action';

/** What an export holds: one delivery, the selected ones, or everything the filter shows. */
export type ExportRequest = { kind: 'delivery'; ids: number[] } | { kind: 'selection'; ids: number[] } | { kind: 'shown'; filter: DeliveryFilter };

export interface ExportRun {
  /** null until startExport answers. */
  exportId: string | null;
  format: ExportFormat;
  /** Where the core writes it. */
  file: string | null;
  done: number;
  total: number | null;
  finished: boolean;
  error: string | null;
  /** The browser shell's download link once finished; null in the desktop app. */
  downloadUrl: string | null;
}

export interface ExportSlice {
  /** The Export dialog is open for this; null while it is closed. */
  exportRequest: ExportRequest | null;
  exportFormat: ExportFormat;
  exportRun: ExportRun | null;
  /** Why Export or Cancel could not be done. */
  exportError: string | null;
  openExport: (kind: ExportRequest['kind']) => void;
  closeExport: () => void;
  setExportFormat: (format: ExportFormat) => void;
  startExport: () => Promise<boolean>;
  cancelExport: () => Promise<boolean>;
  /** A pushed `export` event: progress, the file, or why it stopped. */
  applyExportProgress: (progress: ExportProgress) => void;
}

/** Every delivery selected in the feed: the open one first, then the ones added to it. */
export function selectionOf(state: Pick<AppState, 'selectedId' | 'alsoSelected'>): number[] {
  return state.selectedId === null ? [] : [state.selectedId, ...state.alsoSelected.filter((id) => id !== state.selectedId)];
}

export function createExportSlice(api: Api, now: () => number): StateCreator<AppState, [], [], ExportSlice> {
  const early = earlyEvents<ExportProgress>();

  return (set, get) => {
    const exportCall = actionRunner(set, 'exportError');

    function apply(progress: ExportProgress): void {
      const run = get().exportRun;
      if (!run || run.exportId !== progress.exportId || run.finished) return;
      const file = progress.file ?? run.file;
      set({
        exportRun: {
          ...run,
          done: progress.done,
          total: progress.total,
          finished: progress.finished,
          error: progress.error,
          file,
          downloadUrl: progress.finished && progress.error === null && file ? exportDownloadUrl(api, file) : null,
        },
      });
    }

    return {
      exportRequest: null,
      exportFormat: 'json',
      exportRun: null,
      exportError: null,

      openExport(kind) {
        const state = get();
        let request: ExportRequest;
        if (kind === 'shown') request = { kind, filter: toQuery(state.filter, now()) };
        else if (kind === 'selection') request = { kind, ids: selectionOf(state) };
        else if (state.selectedId !== null) request = { kind, ids: [state.selectedId] };
        else return;
        // A finished (or failed) run is history: a new dialog starts clean; a running one stays in view.
        set({ ...NO_DRAWER, exportRequest: request, exportError: null, ...(state.exportRun?.finished ? { exportRun: null } : {}) });
      },

      closeExport() {
        set({ exportRequest: null });
      },

      setExportFormat(format) {
        set({ exportFormat: format });
      },

      async startExport() {
        const request = get().exportRequest;
        if (!request || (get().exportRun && !get().exportRun?.finished)) return false;
        const format = get().exportFormat;
        set({ exportRun: { exportId: null, format, file: null, done: 0, total: null, finished: false, error: null, downloadUrl: null } });
        early.begin();
        let started: { exportId: string; file: string } | null = null;
        const ok = await exportCall(async () => {
          started = await api.startExport(request.kind === 'shown' ? { format, filter: request.filter } : { format, ids: request.ids });
        });
        const held = early.end();
        if (!ok || started === null) {
          set({ exportRun: null });
          return false;
        }
        const { exportId, file } = started;
        const run = get().exportRun;
        if (run) set({ exportRun: { ...run, exportId, file } });
        for (const progress of held) apply(progress);
        return true;
      },

      async cancelExport() {
        const run = get().exportRun;
        if (!run || run.finished || run.exportId === null) return false;
        const exportId = run.exportId;
        return exportCall(async () => {
          // The core then pushes the end (with its reason); one that already finished says so itself.
          await api.cancelExport(exportId);
        });
      },

      applyExportProgress(progress) {
        if (get().exportRun?.exportId === null && early.hold(progress)) return;
        apply(progress);
      },
    };
  };
}
