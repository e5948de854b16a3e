import type { ExportFormat } from '../../shared/exchange';
import type { ExportRepository, ExportSelection } from '../store/export-repository';
import { toExported } from './exported-delivery';
import { formatWriter } from './formats';

export interface ExportOptions {
  repository: ExportRepository;
  selection: ExportSelection;
  format: ExportFormat;
  /** Writes one piece; resolves when the destination can take more (backpressure). */
  write: (text: string) => Promise<void>;
  origin: string;
  version: string;
  clock?: () => number;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Streams an export: a page of deliveries at a time, each row written as soon as it is formatted,
 * so 100,000 deliveries take the memory of one page. Resolves with how many were written.
 */
export async function exportDeliveries(options: ExportOptions): Promise<number> {
  const writer = formatWriter(options.format, { exportedAt: (options.clock ?? Date.now)(), origin: options.origin, version: options.version });
  const total = options.repository.count(options.selection);
  await options.write(writer.head());
  let written = 0;
  let after = 0;
  for (;;) {
    if (options.signal?.aborted) throw new Error('The export was cancelled.');
    const page = options.repository.page(options.selection, after);
    if (page.length === 0) break;
    let chunk = '';
    for (const delivery of page) chunk += writer.row(toExported(delivery), written++);
    await options.write(chunk);
    after = (page.at(-1) as { id: number }).id;
    options.onProgress?.(written, total);
  }
  await options.write(writer.tail());
  return written;
}
