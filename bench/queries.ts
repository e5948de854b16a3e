/**
 * The feed's reads on a full database, timed in-process through the store (what every
 * control-API call and the UI's first page run): p50/p95 of repeated calls.
 */
import { performance } from 'node:perf_hooks';
import { openStore } from '../src/main/store/store';
import type { DeliveryFilter } from '../src/shared/delivery';

export interface QueryTiming {
  name: string;
  rows: number;
  p50Ms: number;
  p95Ms: number;
}

export interface QueryFigures {
  openMs: number;
  total: number;
  timings: QueryTiming[];
}

const RUNS = 40;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function time(name: string, run: () => number): QueryTiming {
  const samples: number[] = [];
  let rows = 0;
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    rows = run();
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return { name, rows, p50Ms: percentile(samples, 50), p95Ms: percentile(samples, 95) };
}

/** `dataDir` must not be in use by a serve process (this opens it as the writer). */
export function measureQueries(dataDir: string): QueryFigures {
  const opened = performance.now();
  const store = openStore(dataDir);
  const openMs = performance.now() - opened;
  try {
    const list = (filter: DeliveryFilter) => () => store.deliveries.list(filter).length;
    const total = store.deliveries.counts().total;
    // The start of a real id (the ULID's time part), so the id route is timed on ids that exist.
    const newestIdStart = (store.deliveries.list({ limit: 1 })[0]?.eventId ?? 'evt_01').slice(0, 12);
    const timings = [
      time('status counts', () => store.deliveries.counts().total),
      time('feed, first page (200 rows)', list({})),
      time('type filter: quota.exceeded', list({ types: ['quota.exceeded'] })),
      time('type filter: two types', list({ types: ['review.flagged', 'webhook.test'] })),
      time('verdict filter: invalid (1 %)', list({ signatures: ['invalid'] })),
      time('verdict filter: malformed (none stored)', list({ signatures: ['malformed'] })),
      time('duplicates only (2 %)', list({ duplicates: 'only' })),
      time('search: a word in every review.analysed', list({ text: 'delighted' })),
      time('search: a prefix typed so far ("deli")', list({ text: 'deli' })),
      time('search: a word in no payload', list({ text: 'zebra' })),
      time('search + type filter', list({ text: 'shipping', types: ['review.flagged'] })),
      // No flagged payload holds "the" either, and it has the most hits: every one is stepped past.
      time('search + type filter, the most common word ("the" + review.flagged)', list({ text: 'the', types: ['review.flagged'] })),
      time('search: the most common word ("the")', list({ text: 'the' })),
      time('search: "the" + verdict invalid (1 %)', list({ text: 'the', signatures: ['invalid'] })),
      time('search: "the" + duplicates only (2 %)', list({ text: 'the', duplicates: 'only' })),
      time('search: two words, the last typed so far ("service the")', list({ text: 'service the' })),
      time('id prefix: evt_01', list({ text: 'evt_01' })),
      time('id prefix: the first 8 of the newest id', list({ text: newestIdStart })),
    ];
    return { openMs, total, timings };
  } finally {
    store.close();
  }
}

if (require.main === module) {
  const dataDir = process.argv[2];
  if (!dataDir) throw new Error('usage: bench/queries.ts <data-dir>');
  const figures = measureQueries(dataDir);
  process.stdout.write(`open ${figures.openMs.toFixed(0)} ms, ${figures.total} stored\n`);
  for (const t of figures.timings) process.stdout.write(`${t.name}: ${t.rows} rows, p50 ${t.p50Ms.toFixed(2)} ms, p95 ${t.p95Ms.toFixed(2)} ms\n`);
}
