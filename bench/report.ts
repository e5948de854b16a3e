import { cpus } from 'node:os';
import type { DbCheck } from './db-check';
import { EVENT_BYTES } from './events';
import type { LoadResult } from './load';
import type { QueryFigures } from './queries';
import type { UiFigures } from './ui';

/** CPU used during a measured run: by the server process and by the bench process (autocannon + event signing). */
export interface CpuUse {
  serverPct: number;
  serverUsPerRequest: number;
  generatorPct: number;
  /** Everything else that ran on the machine meanwhile (kernel networking, other processes), % of one core. */
  otherPct: number;
}

export interface ThroughputRow {
  target: 'node:http' | 'hooklens';
  load: LoadResult;
  cpu: CpuUse;
  /** hooklens only: the database check after the run. */
  db?: DbCheck;
}

/** Server CPU µs per request at 100 connections, one entry per alternated round. */
export interface CpuRounds {
  bare: number[];
  /** Hooklens's receiver (Fastify, verification, parsing) storing nothing. */
  floor: number[];
  hooklens: number[];
  /** Acknowledged deliveries of the hooklens rounds not found in their databases. */
  missing: number;
}

export interface Extras {
  durationSeconds: number;
  cpu: CpuRounds;
  coldStartMs: number[];
  readyLineMs: number[];
  /** The same start with the CLI's compile cache off (the first run after an install or upgrade). */
  coldStartUncachedMs: number[];
  coldStartStoredMs: number[];
  stored: { atReadyKiB: number; afterKiB: number; peakKiB: number; deliveries: number; seconds: number; perSecond: number; db: DbCheck; queries: QueryFigures };
  kill: { acked: number; db: DbCheck };
  ui: UiFigures | null;
}

/** Kernel loopback networking alone accounts for some; more means other processes competed for the CPUs. */
const OTHER_CPU_WARNING = 40;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n < 1 ? '<1' : int(n));
const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

function ackCell(db: DbCheck | undefined): string {
  if (!db) return '—';
  return `acked ${int(db.acked)}, missing ${db.missing}`;
}

export function markdown(rows: ThroughputRow[], extras: Extras): string {
  const bare = new Map(rows.filter((r) => r.target === 'node:http').map((r) => [r.load.connections, r.load.perSecond]));
  const lines = [
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}; autocannon in the bench process, each server in its own process; ` +
      `${extras.durationSeconds} s per run, unique signed ${EVENT_BYTES}-byte \`review.analysed\` events, pipelining 1.`,
    '',
    '| Target | Connections | Deliveries/s | p50 ms | p99 ms | non-2xx | Errors | Ratio to node:http | Server CPU | Server CPU µs/delivery | Load-gen CPU | Acked in DB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const { target, load, cpu, db } of rows) {
    const base = bare.get(load.connections);
    const ratio = target === 'node:http' ? '1.00' : base ? (load.perSecond / base).toFixed(2) : '—';
    lines.push(
      `| ${target} | ${load.connections} | ${int(load.perSecond)} | ${ms(load.p50)} | ${ms(load.p99)} | ${int(load.non2xx)} | ${int(load.errors)} | ${ratio} | ` +
        `${int(cpu.serverPct)} % | ${int(cpu.serverUsPerRequest)} | ${int(cpu.generatorPct)} % | ${ackCell(db)} |`,
    );
  }
  const r = extras.stored;
  lines.push('', '- Deliveries are verified, parsed and committed with `synchronous=FULL` (group commit) before each 2xx.');
  for (const row of rows.filter((x) => x.target === 'hooklens')) {
    const baseline = rows.find((x) => x.target === 'node:http' && x.load.connections === row.load.connections);
    if (!baseline) continue;
    const cpuRatio = baseline.cpu.serverUsPerRequest / row.cpu.serverUsPerRequest;
    lines.push(
      `- CPU-normalised ratio at ${row.load.connections} connections (node:http CPU per request ÷ hooklens CPU per delivery): ${cpuRatio.toFixed(2)}.`,
    );
    if (baseline.cpu.generatorPct >= 85 && baseline.cpu.serverPct < 85) {
      lines.push(
        `- Note: at ${row.load.connections} connections the load generator (${int(baseline.cpu.generatorPct)} % of a core), not node:http ` +
          `(${int(baseline.cpu.serverPct)} %), was the bottleneck, so the node:http figure is below its real ceiling and the plain ratio flatters hooklens.`,
      );
    }
  }
  const busiest = Math.max(...rows.map((x) => x.cpu.otherPct));
  if (busiest > OTHER_CPU_WARNING) {
    lines.push(
      `- Warning: up to ${int(busiest)} % of a core went to other work during the runs (kernel networking and other processes); ` +
        'figures from a busy machine are low and noisy. Rerun on an idle machine.',
    );
  }
  const c = extras.cpu;
  const cpuCell = (values: number[]) => `${int(median(values))} µs (${values.map(int).join(', ')})`;
  const times = (values: number[]) => `${(median(values) / median(c.bare)).toFixed(1)}×`;
  lines.push(
    '',
    `| Server CPU per request, 100 connections (${c.bare.length} alternated rounds; median, then each round) | µs | ÷ node:http |`,
    '|---|---|---:|',
    `| node:http, reading the body and answering 200 | ${cpuCell(c.bare)} | 1.0× |`,
    `| Hooklens's receiver storing nothing (Fastify, signature check, envelope parsing, the answer) | ${cpuCell(c.floor)} | ${times(c.floor)} |`,
    `| \`hooklens serve\` (the above, plus the commit with \`synchronous=FULL\`, search indexing, the log lines) | ${cpuCell(c.hooklens)} | ${times(c.hooklens)} |`,
  );
  const q = (name: string) => r.queries.timings.find((t) => t.name.startsWith(name));
  const qCell = (name: string) => {
    const t = q(name);
    return t ? `p50 ${t.p50Ms.toFixed(2)} ms, p95 ${t.p95Ms.toFixed(2)} ms (${int(t.rows)} rows)` : '—';
  };
  lines.push(
    '',
    '| Figure | Value |',
    '|---|---|',
    `| Cold start to first 2xx, empty database (spawn → signed POST answered; median of ${extras.coldStartMs.length}) | ${int(median(extras.coldStartMs))} ms (${extras.coldStartMs.map(int).join(', ')}) |`,
    `| Spawn to \`ready\` line, empty database (median) | ${int(median(extras.readyLineMs))} ms |`,
    `| Cold start to first 2xx, empty database, compile cache off (first run after install; alternated with the runs above; median of ${extras.coldStartUncachedMs.length}) | ${int(median(extras.coldStartUncachedMs))} ms (${extras.coldStartUncachedMs.map(int).join(', ')}) |`,
    `| Cold start to first 2xx, ${int(r.db.rows)} stored (median of ${extras.coldStartStoredMs.length}) | ${int(median(extras.coldStartStoredMs))} ms (${extras.coldStartStoredMs.map(int).join(', ')}) |`,
    `| ${int(r.deliveries)} deliveries through the receiver at 100 connections (every type, 1 % wrong signatures, 2 % retries) | ${r.seconds.toFixed(1)} s, ${int(r.perSecond)}/s, ${ackCell(r.db)}, ${int(r.db.notValid)} not valid, ${int(r.db.duplicates)} duplicates, quick_check ${r.db.integrity} |`,
    `| RSS of \`hooklens serve\` after ${int(r.deliveries)} deliveries | ${mib(r.afterKiB)} (at ready: ${mib(r.atReadyKiB)}, peak: ${mib(r.peakKiB)}) |`,
    `| Bytes per stored delivery (db + wal after TRUNCATE checkpoint ÷ rows) | ${int(r.db.bytesPerDelivery)} B (${(r.db.fileBytes / 1024 / 1024).toFixed(0)} MiB / ${int(r.db.rows)} rows) |`,
    `| Opening that database (store, migrations check, search catch-up) | ${r.queries.openMs.toFixed(0)} ms |`,
    ...r.queries.timings.map((t) => `| ${t.name}, ${int(r.db.rows)} stored | p50 ${t.p50Ms.toFixed(2)} ms, p95 ${t.p95Ms.toFixed(2)} ms (${int(t.rows)} rows) |`),
    `| kill -9 under load at 100 connections, then every acked id looked up | ${ackCell(extras.kill.db)}, quick_check ${extras.kill.db.integrity} |`,
  );
  if (extras.ui) lines.push(...extras.ui.rows.map((row) => `| ${row.measure} | ${row.result} |`));

  // The issue's targets, each beside this run's figure.
  const ratioAt = (connections: number) => {
    const h = rows.find((x) => x.target === 'hooklens' && x.load.connections === connections);
    const b = bare.get(connections);
    return h && b ? (h.load.perSecond / b).toFixed(2) : '—';
  };
  const ui = (name: string) => extras.ui?.rows.find((row) => row.measure.startsWith(name))?.result ?? 'not measured (BENCH_UI=0)';
  lines.push(
    '',
    '| Target (issue "Speed and scale") | This run | Target |',
    '|---|---|---|',
    `| Server CPU per delivery, 100 connections, \`synchronous=FULL\` | ${int(median(c.hooklens))} µs, median of ${c.hooklens.length} rounds (node:http: ${int(median(c.bare))} µs per request, so ${times(c.hooklens)}; the receiver storing nothing: ${int(median(c.floor))} µs) | ≤ 70 µs |`,
    `| Deliveries/s ÷ node:http req/s | ${ratioAt(100)} at 100 connections, ${ratioAt(10)} at 10 | ≥ 0.50 at 100, ≥ 0.35 at 10 |`,
    `| Cold start \`serve\` → first 2xx | ${int(median(extras.coldStartMs))} ms empty, ${int(median(extras.coldStartStoredMs))} ms with ${int(r.db.rows)} stored | < 250 ms empty, < 300 ms with 1,000,000 |`,
    `| Feed first paint, ${int(r.db.rows)} stored | ${ui('First paint')} | < 1 s |`,
    `| Full-text search p95, ${int(r.db.rows)} stored | ${['search: a word in every', 'search: a prefix', 'search: a word in no'].map((name) => `${q(name)?.p95Ms.toFixed(1) ?? '—'} ms`).join(' / ')} (common word / prefix / no match) | < 100 ms |`,
    `| Type / verdict filter, ${int(r.db.rows)} stored | type ${qCell('type filter: quota')}; verdict ${qCell('verdict filter: malformed')} | < 20 ms |`,
    `| Status counts, ${int(r.db.rows)} stored | ${qCell('status counts')} | < 5 ms |`,
    `| RSS after ${int(r.deliveries)} deliveries | ${mib(r.afterKiB)} | < 150 MB (143 MiB) |`,
    `| POST → row on screen p95 | ${ui('POST → row on screen, 1/s')} at 1/s; ${ui('POST → row on screen, 200/s')} at 200/s | < 100 ms |`,
    `| Acknowledged deliveries lost, kill -9 under load | ${extras.kill.db.missing} of ${int(extras.kill.acked)} | 0 |`,
  );
  return `${lines.join('\n')}\n`;
}
