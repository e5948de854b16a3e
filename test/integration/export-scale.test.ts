import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDeliveries } from '../../src/main/exchange/exporter';
import { sampleEvent } from '../../src/main/profile/samples';
import type { NewDelivery } from '../../src/main/store/deliveries-repository';
import { openStore, type Store } from '../../src/main/store/store';
import type { ExportedDelivery } from '../../src/shared/exchange';
import { newDelivery } from '../helpers/deliveries';
import { tempDir } from '../helpers/temp-dir';

/**
 * 100,000 deliveries streamed to an ndjson file with bounded memory.
 *
 * Measured once on the 2-core machine this was written on (Node 20, a forced GC before the
 * baseline, heap sampled at every write, progress report and drain), with the ~600-byte bodies
 * below and ~225 MB of ndjson written:
 *   - this streaming export (pages of 500, waiting for drain): heap growth peaked at ~72 MB;
 *   - the same export with every row in one page (the rows and the whole formatted output held
 *     at once): ~1,030 MB;
 *   - merely reading the 100,000 rows into memory: ~265 MB.
 * So the 150 MB bound is about twice what streaming needs, and far below holding every row.
 */

const TOTAL = 100_000;
const BATCH = 5_000;
const HEAP_BOUND = 150 * 1024 * 1024;

let folder: ReturnType<typeof tempDir>;
let store: Store;

/** A realistic review.analysed delivery, ~600 bytes, different for each n. */
function delivery(n: number): NewDelivery {
  const eventId = `evt_${n.toString(36).padStart(8, '0')}`;
  const body = Buffer.from(
    JSON.stringify(
      sampleEvent('review.analysed', {
        id: eventId,
        now: Date.UTC(2026, 3, 24) + n * 1000,
        data: {
          analysis_id: `rs_ana_${n}`,
          review_id: `wc_rev_${n}`,
          sentiment: n % 3 === 0 ? 'negative' : 'positive',
          score: n % 101,
          topics: ['shipping', 'quality', n % 2 ? 'price' : 'support'],
          response_draft: `Thank you, customer ${n}, for your review! We are glad the parcel arrived quickly and that the quality met your expectations. ${'We hope to see you again soon. '.repeat(8)}`,
        },
      }),
    ),
  );
  const signature = n.toString(16).padStart(64, '0');
  return newDelivery({
    receivedAt: 1_777_000_000_000 + n,
    headers: [
      ['Content-Type', 'application/json'],
      ['User-Agent', 'ReviewSense-Webhooks/1.0'],
      ['X-ReviewSense-Signature', signature],
    ],
    body,
    bodySize: body.length,
    eventId,
    searchText: body.toString(),
    signatureReceived: signature,
  });
}

/** A collector: `gc()` when Node can be asked for one (readings are then comparable). */
function collector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return typeof gc === 'function' ? gc : () => undefined;
}

beforeAll(async () => {
  folder = tempDir('hooklens-scale-');
  store = openStore(folder.path);
  // Through the store's own writer (group commit): each batch of 5,000 is one transaction.
  for (let start = 1; start <= TOTAL; start += BATCH) {
    const writes: Promise<unknown>[] = [];
    for (let n = start; n < start + BATCH && n <= TOTAL; n++) writes.push(store.writeDelivery(delivery(n)));
    await Promise.all(writes);
  }
}, 120_000);

afterAll(() => {
  store?.close();
  folder?.cleanup();
});

describe('export at scale', () => {
  it('streams 100,000 deliveries as ndjson with bounded memory', async () => {
    expect(store.deliveries.counts().total).toBe(TOTAL);
    const sample = store.deliveries.get(TOTAL) as { bodySize: number };
    expect(sample.bodySize).toBeGreaterThan(550);
    expect(sample.bodySize).toBeLessThan(700);

    const file = join(folder.path, 'all.ndjson');
    const out = createWriteStream(file);
    const gc = collector();
    gc();
    const baseline = process.memoryUsage().heapUsed;
    let peak = baseline;
    let drains = 0;
    const progress: number[] = [];
    const sampleHeap = () => {
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    };
    const written = await exportDeliveries({
      repository: store.exports,
      selection: { filter: {} },
      format: 'ndjson',
      origin: 'http://localhost:8787',
      version: 'test',
      write: (text) =>
        new Promise<void>((resolve, reject) => {
          sampleHeap();
          if (text === '' || out.write(text)) return resolve();
          drains++;
          const onError = (error: Error) => reject(error);
          out.once('error', onError);
          out.once('drain', () => {
            out.off('error', onError);
            sampleHeap();
            resolve();
          });
        }),
      onProgress: (done) => {
        progress.push(done);
        sampleHeap();
      },
    });
    await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
    const growth = peak - baseline;

    expect(written).toBe(TOTAL);
    // Written a page at a time, waiting for the file to drain: never all at once.
    expect(progress.length).toBeGreaterThan(100);
    expect(progress.at(-1)).toBe(TOTAL);
    expect(drains).toBeGreaterThan(0);
    expect(growth, `heap grew by ${(growth / 1024 / 1024).toFixed(0)} MB while exporting ${(statSync(file).size / 1024 / 1024).toFixed(0)} MB`).toBeLessThan(HEAP_BOUND);

    // Every line parses, in id order, each with its own exact body.
    let count = 0;
    for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
      count++;
      const parsed = JSON.parse(line) as ExportedDelivery;
      if (parsed.id !== count) throw new Error(`line ${count} holds delivery #${parsed.id}`);
      if (count % 9_973 === 0 || count === 1 || count === TOTAL) {
        const expected = delivery(count).body as Buffer;
        expect(Buffer.from(parsed.bodyBase64 as string, 'base64').equals(expected)).toBe(true);
        expect(parsed.bodyText).toBe(expected.toString('utf8'));
        expect(parsed.eventId).toBe(delivery(count).eventId);
      }
    }
    expect(count).toBe(TOTAL);
  }, 180_000);
});
