import { cpus } from 'node:os';
import type { DbCheck } from './db-check';
import { EVENT_BYTES } from './events';
import type { LoadResult } from './load';
import type { DeleteAllFigures } from './delete-all';
import type { ImportMemoryFigures } from './import-memory';
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
  target: 'node:http' | 'receiver, nothing stored' | 'receiver, committed, not indexed' | 'receiver, committed and indexed' | 'hooklens';
  /** Alternated rounds, from 1: each round measures every target once at one connection count. */
  round: number;
  load: LoadResult;
  cpu: CpuUse;
  /** hooklens only: the database check after the run. */
  db?: DbCheck;
}

export interface Extras {
  durationSeconds: number;
  coldStartMs: number[];
  readyLineMs: number[];
  /** The same start with the CLI's compile cache off (the first run after an install or upgrade). */
  coldStartUncachedMs: number[];
  coldStartStoredMs: number[];
  /** `node -e` starting a bare node:http server, timed the same way, alternated with the empty and the stored starts. */
  coldStartNodeMs: number[];
  coldStartStoredNodeMs: number[];
  stored: { atReadyKiB: number; afterKiB: number; peakKiB: number; deliveries: number; seconds: number; perSecond: number; serverCpuUs: number; db: DbCheck; queries: QueryFigures };
  kill: { acked: number; db: DbCheck };
  ui: UiFigures | null;
  /** Or why it was not measured. */
  deleteAll: DeleteAllFigures | string;
  /** Peak memory of `hooklens import` on large files beside a one-delivery file; or why it was not measured. */
  importMemory: ImportMemoryFigures | string;
}

/** From node:http to serve, each doing what the one before does and more (the order of the CPU table). */
const STEPS: { target: ThroughputRow['target']; adds: string }[] = [
  { target: 'node:http', adds: '' },
  { target: 'receiver, nothing stored', adds: 'Fastify, the signature check, envelope parsing, the answer' },
  { target: 'receiver, committed, not indexed', adds: 'the row, its event and counts, and the group commit (`synchronous=FULL`)' },
  { target: 'receiver, committed and indexed', adds: 'full-text search indexing (FTS5, prefix lists of 2 and 3 characters), within 250 ms of the commit' },
  { target: 'hooklens', adds: "the rest of `serve`: the feed's events, its log lines, the inspector around the receiver" },
];

/** Kernel loopback networking alone accounts for some; more means other processes competed for the CPUs. */
const OTHER_CPU_WARNING = 40;

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n < 1 ? '<1' : int(n));
const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
/** "2.1× (node -e 120 ms)". */
const coldRatio = (starts: number[], floor: number[]): string => `${(median(starts) / median(floor)).toFixed(1)}× (node -e ${int(median(floor))} ms)`;
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

function ackCell(db: DbCheck | undefined): string {
  if (!db) return '—';
  return `acked ${int(db.acked)}, missing ${db.missing}`;
}

/** The same round's node:http row at the same connection count. */
function baselineOf(rows: ThroughputRow[], row: ThroughputRow): ThroughputRow | undefined {
  return rows.find((x) => x.target === 'node:http' && x.round === row.round && x.load.connections === row.load.connections);
}

/** Per connection count and target: each round's figure, and its ratio to that round's node:http. */
function rounds(rows: ThroughputRow[], target: ThroughputRow['target'], connections: number) {
  const own = rows.filter((x) => x.target === target && x.load.connections === connections);
  const ratio = (value: (row: ThroughputRow) => number) =>
    median(own.flatMap((row) => {
      const base = baselineOf(rows, row);
      return base ? [value(row) / value(base)] : [];
    }));
  return {
    count: own.length,
    perSecond: own.map((row) => row.load.perSecond),
    cpuUs: own.map((row) => row.cpu.serverUsPerRequest),
    throughputRatio: ratio((row) => row.load.perSecond),
    cpuRatio: ratio((row) => row.cpu.serverUsPerRequest),
    /** node:http's CPU a request ÷ this target's a delivery: the form of the CPU target. */
    cpuShare: ratio((row) => 1 / row.cpu.serverUsPerRequest),
  };
}

/**
 * Where a delivery's CPU goes, at each connection count where every step was measured: each step
 * does what the one before it does and more, so the difference between two is what the step adds.
 */
function cpuSteps(rows: ThroughputRow[], connectionCounts: number[]): string[] {
  const lines: string[] = [];
  for (const connections of connectionCounts) {
    const steps = STEPS.map((step) => ({ ...step, ...rounds(rows, step.target, connections) }));
    if (steps.some((step) => step.count === 0)) continue;
    lines.push(
      '',
      `| Where a delivery's CPU goes, ${connections} connections (medians of the rounds) | CPU µs a delivery | Added by this step | node:http ÷ it (median of the rounds' ratios) |`,
      '|---|---:|---|---:|',
    );
    steps.forEach((step, index) => {
      const before = steps[index - 1];
      const difference = before ? median(step.cpuUs) - median(before.cpuUs) : 0;
      // A step does all the work of the one before it: less CPU can only be the runs' noise, said so.
      const overlapping = before !== undefined && Math.min(...step.cpuUs) <= Math.max(...before.cpuUs);
      const sign = difference < 0 ? `−${int(-difference)} µs (less than the step before${overlapping ? ': their rounds overlap' : ''})` : `+${int(difference)} µs`;
      const added = before ? `${sign}: ${step.adds}` : '';
      lines.push(`| ${step.target} | ${int(median(step.cpuUs))} | ${added} | ${step.cpuShare.toFixed(2)} |`);
    });
  }
  return lines;
}

export function markdown(rows: ThroughputRow[], extras: Extras): string {
  const connectionCounts = [...new Set(rows.map((x) => x.load.connections))].sort((a, b) => a - b);
  const roundCount = Math.max(...rows.map((x) => x.round));
  const lines = [
    `Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}; autocannon in the bench process, each server in its own process, started for its run; ` +
      `${extras.durationSeconds} s per run, unique signed ${EVENT_BYTES}-byte \`review.analysed\` events, pipelining 1; ${roundCount} alternated rounds per connection count.`,
    '',
    '| Round | Target | Connections | Deliveries/s | p50 ms | p99 ms | non-2xx | Errors | ÷ node:http (same round) | Server CPU | Server CPU µs/request | Load-gen CPU | Acked in DB |',
    '|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const row of rows) {
    const { target, load, cpu, db } = row;
    const base = baselineOf(rows, row);
    const ratio = target === 'node:http' ? '1.00' : base ? (load.perSecond / base.load.perSecond).toFixed(2) : '—';
    lines.push(
      `| ${row.round} | ${target} | ${load.connections} | ${int(load.perSecond)} | ${ms(load.p50)} | ${ms(load.p99)} | ${int(load.non2xx)} | ${int(load.errors)} | ${ratio} | ` +
        `${int(cpu.serverPct)} % | ${int(cpu.serverUsPerRequest)} | ${int(cpu.generatorPct)} % | ${ackCell(db)} |`,
    );
  }
  const r = extras.stored;
  lines.push(
    '',
    '- Deliveries are verified, parsed and committed with `synchronous=FULL` (group commit) before each 2xx.',
    "- \"receiver, nothing stored\" is Hooklens's receiver (Fastify, the signature check, envelope parsing, the answer) with deliveries settled a turn later, as the group commit does, and nothing written (`bench/receiver-floor.ts`).",
    '- "receiver, committed, not indexed" and "receiver, committed and indexed" are the same receiver committing each delivery through the store (`openStore`, the group commit) with search indexing off and on: the steps between it and `serve`, measured at 100 connections only.',
  );
  for (const connections of connectionCounts) {
    const limited = rows.filter((x) => x.target === 'node:http' && x.load.connections === connections && x.cpu.generatorPct >= 85 && x.cpu.serverPct < 85);
    if (limited.length > 0) {
      lines.push(
        `- Note: at ${connections} connections the load generator (${limited.map((x) => int(x.cpu.generatorPct)).join(', ')} % of a core), not node:http, ` +
          'was the bottleneck in some rounds, so the node:http figure is below its real ceiling and the plain ratio flatters hooklens.',
      );
    }
  }
  const busiest = Math.max(...rows.map((x) => x.cpu.otherPct));
  if (busiest > OTHER_CPU_WARNING) {
    lines.push(
      `- Warning: up to ${int(busiest)} % of a core went to other work during a run (kernel networking and other processes); ` +
        'that run\'s figures are low; a median of the rounds leaves out one such run.',
    );
  }
  const cell = (values: number[], unit: string) => `${int(median(values))}${unit} (${values.map(int).join(', ')})`;
  lines.push(
    '',
    `| Medians of ${roundCount} rounds (then each round) | Connections | Deliveries/s | ÷ node:http | Server CPU µs/request | ÷ node:http |`,
    '|---|---:|---|---:|---|---:|',
  );
  for (const connections of connectionCounts) {
    for (const { target } of STEPS) {
      const t = rounds(rows, target, connections);
      if (t.count === 0) continue;
      lines.push(`| ${target} | ${connections} | ${cell(t.perSecond, '/s')} | ${t.throughputRatio.toFixed(2)} | ${cell(t.cpuUs, ' µs')} | ${t.cpuRatio.toFixed(1)}× |`);
    }
  }
  lines.push(...cpuSteps(rows, connectionCounts));
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
    `| \`node -e\` starting a bare node:http server, to its first 2xx (alternated with the empty starts; with the stored ones) | ${int(median(extras.coldStartNodeMs))} ms (${extras.coldStartNodeMs.map(int).join(', ')}); ${int(median(extras.coldStartStoredNodeMs))} ms (${extras.coldStartStoredNodeMs.map(int).join(', ')}) |`,
    `| ${int(r.deliveries)} deliveries through the receiver at 100 connections (every type, 1 % wrong signatures, 2 % retries) | ${r.seconds.toFixed(1)} s, ${int(r.perSecond)}/s, server CPU ${int(r.serverCpuUs)} µs per delivery (the database growing from empty), ${ackCell(r.db)}, ${int(r.db.notValid)} not valid, ${int(r.db.duplicates)} duplicates, quick_check ${r.db.integrity} |`,
    `| RSS of \`hooklens serve\` after ${int(r.deliveries)} deliveries | ${mib(r.afterKiB)} (at ready: ${mib(r.atReadyKiB)}, peak: ${mib(r.peakKiB)}) |`,
    `| Bytes per stored delivery (db + wal after TRUNCATE checkpoint ÷ rows) | ${int(r.db.bytesPerDelivery)} B (${(r.db.fileBytes / 1024 / 1024).toFixed(0)} MiB / ${int(r.db.rows)} rows) |`,
    `| Opening that database (store, migrations check, search catch-up) | ${r.queries.openMs.toFixed(0)} ms |`,
    ...r.queries.timings.map((t) => `| ${t.name}, ${int(r.db.rows)} stored | p50 ${t.p50Ms.toFixed(2)} ms, p95 ${t.p95Ms.toFixed(2)} ms (${int(t.rows)} rows) |`),
    `| kill -9 under load at 100 connections, then every acked id looked up | ${ackCell(extras.kill.db)}, quick_check ${extras.kill.db.integrity} |`,
    typeof extras.deleteAll === 'string'
      ? `| Delete all, ${int(r.db.rows)} stored | ${extras.deleteAll} |`
      : `| Delete all, ${int(extras.deleteAll.rows)} stored (the thread, and so the receiver, is held this long; on a copy) | ${int(extras.deleteAll.ms)} ms (row by row, as before, on another copy: ${int(extras.deleteAll.rowByRowMs)} ms) |`,
  );
  if (extras.ui) lines.push(...extras.ui.rows.map((row) => `| ${row.measure} | ${row.result} |`));
  const imports = extras.importMemory;
  const importCell = (run: ImportMemoryFigures['runs'][number], baseline: ImportMemoryFigures['baseline']) =>
    `${mib(run.peakKiB)} peak RSS, ${(run.peakKiB / baseline.peakKiB).toFixed(2)}× the same command importing one delivery (${mib(baseline.peakKiB)}); ${run.seconds.toFixed(1)} s`;
  if (typeof imports === 'string') lines.push(`| \`hooklens import\` of a large file | ${imports} |`);
  else {
    for (const run of imports.runs) {
      const what = run.format === 'ndjson, one line' ? `one ndjson line of ${mib(run.fileBytes / 1024)} (refused: over the 16 MiB an entry may take)` : `${run.format === 'json' ? 'a json' : 'an ndjson'} file of ${mib(run.fileBytes / 1024)}, ${int(run.deliveries)} deliveries`;
      lines.push(`| \`hooklens import\` of ${what} | ${importCell(run, imports.baseline)} |`);
    }
  }

  // The issue's targets, each beside this run's figure.
  const cpu100 = rounds(rows, 'hooklens', 100);
  const bare100 = rounds(rows, 'node:http', 100);
  const floor100 = rounds(rows, 'receiver, nothing stored', 100);
  const ratioAt = (connections: number) => {
    const t = rounds(rows, 'hooklens', connections);
    return t.count > 0 ? t.throughputRatio.toFixed(2) : '—';
  };
  const ui = (name: string) => extras.ui?.rows.find((row) => row.measure.startsWith(name))?.result ?? 'not measured (BENCH_UI=0)';
  lines.push(
    '',
    '| Target (issue "Speed and scale") | This run | Target |',
    '|---|---|---|',
    `| node:http CPU a request ÷ Hooklens CPU a delivery, 100 connections, \`synchronous=FULL\` (issue "Speed under the hand") | ${cpu100.count === 0 ? 'not measured (BENCH_CONNECTIONS has no 100)' : `${cpu100.cpuShare.toFixed(2)}: ${int(median(cpu100.cpuUs))} µs, median of ${cpu100.count} rounds (node:http: ${int(median(bare100.cpuUs))} µs per request; the receiver storing nothing: ${int(median(floor100.cpuUs))} µs, ${floor100.cpuShare.toFixed(2)})`} | ≥ 0.45 |`,
    `| Deliveries/s ÷ node:http req/s (median of the rounds' ratios) | ${ratioAt(100)} at 100 connections, ${ratioAt(10)} at 10 | ≥ 0.50 at 100, ≥ 0.35 at 10 |`,
    `| Cold start \`serve\` → first 2xx | ${int(median(extras.coldStartMs))} ms empty, ${int(median(extras.coldStartStoredMs))} ms with ${int(r.db.rows)} stored | < 250 ms empty, < 300 ms with 1,000,000 |`,
    `| Cold start ÷ \`node -e\` start (medians, same minutes) | ${coldRatio(extras.coldStartMs, extras.coldStartNodeMs)} empty, ${coldRatio(extras.coldStartStoredMs, extras.coldStartStoredNodeMs)} with ${int(r.db.rows)} stored | measured |`,
    `| Feed first paint, ${int(r.db.rows)} stored (page load → first row): first visit; returning | ${ui('First paint')}; ${extras.ui?.rows.find((row) => row.measure.includes('returning'))?.result ?? '—'} | p95 < 700 ms |`,
    `| Typed → rows in the UI, the most common word, incl. the 150 ms debounce | ${ui('Search typed in the UI until its rows show ("the"')} | < 250 ms |`,
    `| Full-text search p95, ${int(r.db.rows)} stored | ${['search: a word in every', 'search: a prefix', 'search: a word in no'].map((name) => `${q(name)?.p95Ms.toFixed(1) ?? '—'} ms`).join(' / ')} (common word / prefix / no match) | < 100 ms |`,
    `| Type / verdict filter, ${int(r.db.rows)} stored | type ${qCell('type filter: quota')}; verdict ${qCell('verdict filter: invalid')} (invalid, 1 %), ${qCell('verdict filter: malformed')} (malformed, none stored) | < 20 ms |`,
    `| Status counts, ${int(r.db.rows)} stored | ${qCell('status counts')} | < 5 ms |`,
    `| RSS after ${int(r.deliveries)} deliveries | ${mib(r.afterKiB)} | < 150 MB (143 MiB) |`,
    `| POST → row on screen p95 | ${ui('POST → row on screen, 1/s')} at 1/s; ${ui('POST → row on screen, 200/s')} at 200/s | < 100 ms |`,
    `| Acknowledged deliveries lost, kill -9 under load | ${extras.kill.db.missing} of ${int(extras.kill.acked)} | 0 |`,
    `| Memory of \`hooklens import\`, whatever the file size (issue "Promises at the edges") | ${typeof imports === 'string' ? imports : imports.runs.map((run) => `${run.format} ${mib(run.fileBytes / 1024)}: ${mib(run.peakKiB)} (${(run.peakKiB / imports.baseline.peakKiB).toFixed(2)}×)`).join('; ')} | < 200 MB (190 MiB) |`,
  );
  return `${lines.join('\n')}\n`;
}
