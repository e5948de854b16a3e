/**
 * `npm run bench:relay`: the team relay's part of `npm run bench` alone (see bench/relay.ts),
 * its table printed and written to bench/relay-results.md. Env as `npm run bench`: BENCH_DURATION,
 * BENCH_WARMUP, BENCH_ROUNDS, BENCH_KEEP.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { relayBench } from './relay';
import { relayMarkdown } from './relay-report';

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'hooklens-bench-relay-'));
  process.env.HOOKLENS_COMPILE_CACHE = join(root, 'compile-cache');
  try {
    const figures = await relayBench({
      root,
      secret: `whsec_bench_${randomBytes(12).toString('hex')}`,
      durationSeconds: Number(process.env.BENCH_DURATION ?? 8),
      warmupSeconds: Number(process.env.BENCH_WARMUP ?? 1),
      rounds: Number(process.env.BENCH_ROUNDS ?? 3),
      log: (line) => process.stderr.write(`bench: ${line}\n`),
    });
    const table = relayMarkdown(figures);
    process.stdout.write(table);
    writeFileSync(join(__dirname, 'relay-results.md'), `# Relay benchmark (\`npm run bench:relay\`, ${new Date().toISOString().slice(0, 10)})\n${table}`);
    if (figures.runs.some((run) => run.missing > 0)) process.exitCode = 1;
  } finally {
    if (process.env.BENCH_KEEP === '1') process.stderr.write(`bench: kept ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
