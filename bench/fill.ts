/**
 * Fills a data folder through the receiver: a real `hooklens serve`, real signed POSTs at 100
 * connections, the mixed event stream (every type, 1 % wrong signatures, 2 % retries).
 * `node --import tsx bench/fill.ts <data-dir> [amount]` keeps the folder for later runs.
 */
import { runLoad, type LoadResult } from './load';
import { cpuMs, memoryKiB, startServe } from './serve-process';

export interface Fill {
  load: LoadResult;
  /** RSS of the serve process at ready and after the last delivery, in KiB. */
  atReadyKiB: number;
  afterKiB: number;
  peakKiB: number;
  /** CPU time (user + system) serve used from the first delivery to the last, in ms. */
  serverCpuMs: number;
  dbFile: string;
}

export async function fillThroughReceiver(options: { dataDir: string; secret: string; amount: number; connections?: number }): Promise<Fill> {
  const serve = startServe({ secret: options.secret, dataDir: options.dataDir });
  try {
    // Inside the try: a serve that never gets ready is still stopped.
    const ready = await serve.ready;
    const atReadyKiB = memoryKiB(serve.pid).rss;
    const cpu0 = cpuMs(serve.pid);
    const load = await runLoad({ url: ready.receiverUrl, secret: options.secret, connections: options.connections ?? 100, amount: options.amount, mix: true });
    const serverCpuMs = cpuMs(serve.pid) - cpu0;
    const memory = memoryKiB(serve.pid);
    return { load, atReadyKiB, afterKiB: memory.rss, peakKiB: memory.peak, serverCpuMs, dbFile: ready.db ?? `${options.dataDir}/hooklens.db` };
  } finally {
    const code = await serve.stop();
    if (code !== 0) throw new Error(`serve exited with ${code}: ${serve.stderrTail()}`);
  }
}

if (require.main === module) {
  const [dataDir, amount = '1000000'] = process.argv.slice(2);
  if (!dataDir) throw new Error('usage: bench/fill.ts <data-dir> [amount]');
  const secret = process.env.BENCH_SECRET ?? 'whsec_bench_fill';
  const started = Date.now();
  void fillThroughReceiver({ dataDir, secret, amount: Number(amount) }).then((fill) => {
    const { load } = fill;
    process.stdout.write(
      `${load.ok} acked, ${load.non2xx} non-2xx, ${load.errors} errors in ${((Date.now() - started) / 1000).toFixed(0)} s; RSS ${fill.afterKiB} KiB (peak ${fill.peakKiB})\n`,
    );
  });
}
