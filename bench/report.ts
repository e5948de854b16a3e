import { cpus } from 'node:os';
import type { DbCheck } from './db-check';
import type { LoadResult } from './load';

export interface ThroughputRow {
  target: 'node:http' | 'hooklens';
  load: LoadResult;
  /** hooklens only: the database check after the run. */
  db?: DbCheck;
}

export interface Extras {
  durationSeconds: number;
  coldStartMs: number[];
  readyLineMs: number[];
  rss: { atReadyKiB: number; afterKiB: number; peakKiB: number; deliveries: number; seconds: number; perSecond: number; db: DbCheck };
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n < 10 ? n.toFixed(1) : int(n));
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
      `${extras.durationSeconds} s per run, unique signed ${'~600'}-byte \`review.analysed\` events, pipelining 1.`,
    '',
    '| Target | Connections | Deliveries/s | p50 ms | p99 ms | non-2xx | Errors | Ratio to node:http | Acked in DB |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const { target, load, db } of rows) {
    const base = bare.get(load.connections);
    const ratio = target === 'node:http' ? '1.00' : base ? (load.perSecond / base).toFixed(2) : '—';
    lines.push(
      `| ${target} | ${load.connections} | ${int(load.perSecond)} | ${ms(load.p50)} | ${ms(load.p99)} | ${int(load.non2xx)} | ${int(load.errors)} | ${ratio} | ${ackCell(db)} |`,
    );
  }
  const r = extras.rss;
  lines.push(
    '',
    'Target: hooklens ≥ 0.40 of the node:http ceiling at 100 connections (verification + `synchronous=FULL` group commit).',
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
