/**
 * Peak memory of `hooklens import` on files of a few hundred MB (a json export, an ndjson one, and
 * an ndjson file that is one line), beside the same command importing a file of one delivery: an import reads one entry at a
 * time, so the file's size should cost next to nothing. Each import is a child process of its
 * own, its peak resident set (VmHWM) read from /proc while it runs.
 * `node --import tsx bench/import-memory.ts [MiB]` runs it alone (default 256 MiB per file).
 * Env: BENCH_IMPORT_MIB.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleEvent } from '../src/main/profile/samples';
import { CLI, memoryKiB } from './serve-process';

export interface ImportRun {
  /** `ndjson, one line`: the whole file is one entry, over the limit one entry may take (refused). */
  format: 'json' | 'ndjson' | 'ndjson, one line';
  fileBytes: number;
  deliveries: number;
  peakKiB: number;
  seconds: number;
}

export interface ImportMemoryFigures {
  /** The same command importing a one-delivery file. */
  baseline: ImportRun;
  runs: ImportRun[];
}

/** About 48 KiB of JSON text per body (a large webhook), so a few hundred MB is a few thousand deliveries. */
function entry(index: number): string {
  const text = `review ${index} `.padEnd(48 * 1024, 'lorem ipsum dolor sit amet ');
  // An envelope whose data is a long filler text, not a review.
  const body = Buffer.from(JSON.stringify({ ...sampleEvent('review.analysed', { id: `evt_import_${index}`, now: Date.UTC(2026, 3, 24, 14, 30) }), data: { text } }));
  return JSON.stringify({ id: index + 1, receivedAt: 1_777_000_000_000 + index, method: 'POST', path: '/hooks/reviewsense', headers: [['Content-Type', 'application/json']], rawHeaders: null, bodyBase64: body.toString('base64'), bodySize: body.length });
}

/** Writes an export of at least `bytes` through a stream; resolves with how many deliveries it holds. */
async function writeExport(file: string, format: 'json' | 'ndjson', bytes: number): Promise<number> {
  const out = createWriteStream(file);
  const write = (text: string) => new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  let written = 0;
  let count = 0;
  if (format === 'json') await write('{"format":"hooklens-export","version":1,"exportedAt":"2026-04-24T15:00:00.000Z","deliveries":[\n');
  while (written < bytes || count === 0) {
    const line = format === 'json' ? `${count > 0 ? ',\n' : ''}${entry(count)}` : `${entry(count)}\n`;
    await write(line);
    written += line.length;
    count++;
  }
  if (format === 'json') await write('\n]}\n');
  await new Promise((resolve) => out.end(resolve));
  return count;
}

/** One ndjson line of at least `bytes`: a delivery whose base64 body is the rest, written a MiB at a time. */
async function writeOneLine(file: string, bytes: number): Promise<void> {
  const out = createWriteStream(file);
  const write = (text: string) => new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once('drain', resolve)));
  const piece = 'QUFB'.repeat(256 * 1024);
  const pieces = Math.ceil(bytes / piece.length);
  await write('{"id":1,"receivedAt":1777000000000,"method":"POST","path":"/hooks/reviewsense","headers":[],"bodyBase64":"');
  for (let index = 0; index < pieces; index++) await write(piece);
  await write(`","bodySize":${(pieces * piece.length * 3) / 4}}\n`);
  await new Promise((resolve) => out.end(resolve));
}

/** Runs `hooklens import`, reading its peak resident set every 10 ms until it exits (with `expectedCode`). */
function importPeak(file: string, dataDir: string, expectedCode: number): Promise<{ peakKiB: number; seconds: number }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [CLI, 'import', file, '--data-dir', dataDir], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2048)));
    let peakKiB = 0;
    const poll = setInterval(() => {
      try {
        const { peak } = memoryKiB(child.pid as number);
        if (Number.isFinite(peak)) peakKiB = Math.max(peakKiB, peak);
      } catch {
        // Exited between two polls: the last reading stands.
      }
    }, 10);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(poll);
      if (code !== expectedCode) reject(new Error(`hooklens import exited with ${code}, not ${expectedCode}: ${stderr.trim()}`));
      else resolve({ peakKiB, seconds: (performance.now() - started) / 1000 });
    });
  });
}

async function measure(root: string, format: ImportRun['format'], bytes: number, name: string): Promise<ImportRun> {
  const file = join(root, `${name}.${format === 'json' ? 'json' : 'ndjson'}`);
  let deliveries = 1;
  if (format === 'ndjson, one line') await writeOneLine(file, bytes);
  else deliveries = await writeExport(file, format, bytes);
  const fileBytes = statSync(file).size;
  // The one-line file is refused (exit 1: its entry was skipped), without being read whole.
  const { peakKiB, seconds } = await importPeak(file, join(root, `${name}-data`), format === 'ndjson, one line' ? 1 : 0);
  rmSync(file, { force: true });
  rmSync(join(root, `${name}-data`), { recursive: true, force: true });
  return { format, fileBytes, deliveries, peakKiB, seconds };
}

export async function measureImportMemory(root: string, mib = Number(process.env.BENCH_IMPORT_MIB ?? 256)): Promise<ImportMemoryFigures> {
  const baseline = await measure(root, 'json', 1, 'import-baseline');
  const runs: ImportRun[] = [];
  for (const format of ['json', 'ndjson', 'ndjson, one line'] as const) runs.push(await measure(root, format, mib * 1024 * 1024, `import-${runs.length}`));
  return { baseline, runs };
}

/** One line per run, for the log. */
export function importLine(run: ImportRun, baseline: ImportRun): string {
  return `${run.format}, ${(run.fileBytes / 1024 / 1024).toFixed(0)} MiB, ${run.deliveries.toLocaleString('en')} deliveries: peak RSS ${(run.peakKiB / 1024).toFixed(0)} MiB (${(run.peakKiB / baseline.peakKiB).toFixed(2)}× one delivery's ${(baseline.peakKiB / 1024).toFixed(0)} MiB) in ${run.seconds.toFixed(1)} s`;
}

if (require.main === module) {
  const root = mkdtempSync(join(tmpdir(), 'hooklens-bench-import-'));
  const mib = Number(process.argv[2] ?? process.env.BENCH_IMPORT_MIB ?? 256);
  void measureImportMemory(root, mib)
    .then((figures) => {
      for (const run of [figures.baseline, ...figures.runs]) process.stdout.write(`${importLine(run, figures.baseline)}\n`);
    })
    .finally(() => rmSync(root, { recursive: true, force: true }));
}
