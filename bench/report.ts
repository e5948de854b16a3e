import { cpus } from 'node:os';
import type { DbCheck } from './db-check';
import { EVENT_BYTES } from './events';
import type { LoadResult } from './load';

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

export interface Extras {
  durationSeconds: number;
  coldStartMs: number[];
  readyLineMs: number[];
  rss: { atReadyKiB: number; afterKiB: number; peakKiB: number; deliveries: number; seconds: number; perSecond: number; db: DbCheck };
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
  const r = extras.rss;
  lines.push('', '- Target: hooklens ≥ 0.40 of the node:http ceiling at 100 connections (verification + `synchronous=FULL` group commit).');
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
  lines.push(
    '',
    '| Figure | Value |',
    '|---|---|',
    `| Cold start to first 2xx (spawn → signed POST answered; median of ${extras.coldStartMs.length}) | ${int(median(extras.coldStartMs))} ms (${extras.coldStartMs.map(int).join(', ')}) |`,
    `| Spawn to \`ready\` line (median) | ${int(median(extras.readyLineMs))} ms |`,
    `| RSS of \`hooklens serve\` after ${int(r.deliveries)} deliveries | ${mib(r.afterKiB)} (at ready: ${mib(r.atReadyKiB)}, peak: ${mib(r.peakKiB)}) |`,
    `| ${int(r.deliveries)} deliveries at 100 connections | ${r.seconds.toFixed(1)} s, ${int(r.perSecond)}/s, ${ackCell(r.db)} |`,
    `| Bytes per stored delivery (db + wal after TRUNCATE checkpoint ÷ rows) | ${int(r.db.bytesPerDelivery)} B (${(r.db.fileBytes / 1024 / 1024).toFixed(1)} MiB / ${int(r.db.rows)} rows) |`,
  );
  return `${lines.join('\n')}\n`;
}
