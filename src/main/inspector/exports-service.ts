import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { DeliveryFilter } from '../../shared/delivery';
import type { ExportFormat, ExportProgress } from '../../shared/exchange';
import { exportDeliveries } from '../exchange/exporter';
import { EXTENSIONS } from '../exchange/formats';
import type { Store } from '../store/store';

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
    const out = createWriteStream(file, { mode: 0o600 });
    const base = { exportId, format: request.format, file: null, finished: false, error: null };
    const write = (text: string) =>
      new Promise<void>((done, fail) => {
        if (text === '' || out.write(text)) return done();
        const drained = () => {
          out.off('error', failed);
          done();
        };
        const failed = (error: Error) => {
          out.off('drain', drained);
          fail(error);
        };
        out.once('drain', drained);
        out.once('error', failed);
      });
    void exportDeliveries({
      repository: options.store.exports,
      selection: request.ids?.length ? { ids: request.ids } : { filter: request.filter ?? {} },
      format: request.format,
      write,
      origin: options.origin(),
      version: options.version,
      clock: options.clock,
      signal: controller.signal,
      onProgress: (done, total) => options.onProgress({ ...base, done, total }),
    })
      .then(
        (written) =>
          new Promise<number>((done, fail) => out.end((error?: Error | null) => (error ? fail(error) : done(written)))),
      )
      .then((written) => options.onProgress({ ...base, done: written, total: written, file, finished: true }))
      .catch((error: unknown) => {
        out.destroy();
        rmSync(file, { force: true });
        options.onProgress({ ...base, done: 0, total: 0, finished: true, error: (error as Error).message });
      })
      .finally(() => running.delete(exportId));
    return { exportId, file };
  }

  return {
    start,
    cancel(exportId: string): boolean {
      const controller = running.get(exportId);
      controller?.abort();
      return controller !== undefined;
    },
    /** The path of a finished export by its file name (for the download route); null for anything else. */
    fileOf(name: string): string | null {
      return name === basename(name) && /^hooklens-[\w-]+\.[a-z.]+$/.test(name) ? join(folder, name) : null;
    },
  };
}

export type ExportsService = ReturnType<typeof createExportsService>;
