import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DeliveryFilter } from '../../shared/delivery';
import type { ExportFormat, ExportProgress } from '../../shared/exchange';
import { exportDeliveries } from '../exchange/exporter';
import { closedFile, exportSink } from '../exchange/export-sink';
import { EXTENSIONS } from '../exchange/formats';
import type { Store } from '../store/store';
import { describeFailure, type Supervisor } from '../util/supervisor';

/** The supervisor's name for exports: a failure is reported once, and cleared by the next export that works. */
const EXPORT_TASK = 'export';
const CANCELLED = 'The export was cancelled.';

/** Ends with a full stop, once. */
const sentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

export interface ExportRequest {
  format: ExportFormat;
  /** These deliveries; or, when absent, everything the filter shows. */
  ids?: number[] | null;
  filter?: DeliveryFilter | null;
}

/**
 * Exports started from the app: written in the background into `<data dir>/exports/`, a page at
 * a time, with progress pushed as `export` events and a way to cancel. The browser shell serves
 * the finished file for download; the desktop app shows where it is.
 */
export function createExportsService(options: {
  store: Pick<Store, 'exports'>;
  dataDir: string;
  origin: () => string;
  version: string;
  clock: () => number;
  onProgress: (progress: ExportProgress) => void;
  supervisor: Supervisor;
}) {
  const folder = join(options.dataDir, 'exports');
  const running = new Map<string, AbortController>();

  function fileName(format: ExportFormat): string {
    const stamp = new Date(options.clock()).toISOString().replace(/[:.]/g, '-').replace(/-\d{3}Z$/, 'Z');
    return `hooklens-${stamp}-${randomUUID().slice(0, 6)}.${EXTENSIONS[format]}`;
  }

  function start(request: ExportRequest): { exportId: string; file: string } {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const exportId = randomUUID();
    const file = join(folder, fileName(request.format));
    const controller = new AbortController();
    running.set(exportId, controller);
    // Watched: a write that fails (a full disk) is reported, never an unhandled 'error' that ends capture.
    const out = options.supervisor.watch(EXPORT_TASK, createWriteStream(file, { mode: 0o600 }));
    const sink = exportSink(out);
    const base = { exportId, format: request.format, file: null, finished: false, error: null };
    void exportDeliveries({
      repository: options.store.exports,
      selection: request.ids?.length ? { ids: request.ids } : { filter: request.filter ?? {} },
      format: request.format,
      write: sink.write,
      origin: options.origin(),
      version: options.version,
      clock: options.clock,
      signal: controller.signal,
      onProgress: (done, total) => options.onProgress({ ...base, done, total }),
    })
      .then(async (written) => {
        await sink.finish(true);
        options.supervisor.recovered(EXPORT_TASK);
        options.onProgress({ ...base, done: written, total: written, file, finished: true });
      })
      .catch(async (error: unknown) => {
        await closedFile(out);
        rmSync(file, { force: true });
        const written = sink.failure();
        const cancelled = written === null && controller.signal.aborted;
        // A failed write was reported as it happened (watch); anything else (the database) is reported here.
        if (!cancelled && written === null) options.supervisor.failed(EXPORT_TASK, error);
        const reason = cancelled
          ? CANCELLED
          : written !== null
            ? `Could not write ${basename(file)}: ${sentence(describeFailure(written))} The partial file was removed.`
            : `The export stopped: ${sentence(describeFailure(error))} The partial file was removed.`;
        options.onProgress({ ...base, done: 0, total: 0, finished: true, error: reason });
      })
      .catch((error: unknown) => options.supervisor.failed(EXPORT_TASK, error))
      .finally(() => running.delete(exportId));
    return { exportId, file };
  }

  return {
    calls: {
      startExport: start,
      cancelExport(exportId: string): boolean {
        const controller = running.get(exportId);
        controller?.abort();
        return controller !== undefined;
      },
    },
    /** The path of a finished export by its file name (for the download route); null for anything else. */
    fileOf(name: string): string | null {
      return name === basename(name) && /^hooklens-[\w-]+\.[a-z.]+$/.test(name) ? join(folder, name) : null;
    },
  };
}

export type ExportsService = ReturnType<typeof createExportsService>;
