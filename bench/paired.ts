/**
 * `npm run bench:paired -- <other checkout>`: this build's `hooklens serve` against another's
 * (a checkout with its own `npm run build`, e.g. a `git worktree` of the commit before a change;
 * with two checkouts, the second against the first),
 * in alternated rounds on the same machine in the same minutes: deliveries/s, server CPU per
 * delivery and cold start to the first 2xx. "Within noise of before" is read from the rounds'
 * spread, not from a run of another day on another machine.
 * Env: BENCH_DURATION (s per run, default 8), BENCH_CONNECTIONS (default "10,100"), BENCH_ROUNDS (default 3).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { runLoad, signedPost } from './load';
import { median } from './report';
import { CLI, cpuMs, freePort, startServe } from './serve-process';

const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10,100').split(',').map(Number);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const COLD_STARTS = 5;
const SECRET = `whsec_paired_${randomBytes(8).toString('hex')}`;
const log = (line: string): boolean => process.stderr.write(`bench:paired: ${line}\n`);

interface Build {
  name: string;
  cli: string;
}

/** One run of `build` at `connections`: deliveries/s and the server's CPU µs per delivery. */
async function throughput(build: Build, root: string, connections: number): Promise<{ perSecond: number; cpuUs: number }> {
  const serve = startServe({ secret: SECRET, dataDir: mkdtempSync(join(root, 'run-')), cli: build.cli });
  try {
    const { receiverUrl } = await serve.ready;
    await runLoad({ url: receiverUrl, secret: SECRET, connections, duration: 1 });
    const cpu0 = cpuMs(serve.pid);
    const load = await runLoad({ url: receiverUrl, secret: SECRET, connections, duration: DURATION });
    const cpuUs = (1000 * (cpuMs(serve.pid) - cpu0)) / load.ok;
    if (load.non2xx > 0 || load.errors > 0) throw new Error(`${build.name}: ${load.non2xx} non-2xx, ${load.errors} errors`);
    return { perSecond: load.perSecond, cpuUs };
  } finally {
    await serve.stop();
  }
}

/** Spawn → first 2xx to a signed POST, polling every 5 ms. */
async function coldStart(build: Build, root: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const serve = startServe({ secret: SECRET, dataDir: mkdtempSync(join(root, 'cold-')), port, cli: build.cli });
  try {
    for (;;) {
      if (serve.child.exitCode !== null) throw new Error(`${build.name} exited: ${serve.stderrTail()}`);
      const answer = await signedPost(`http://127.0.0.1:${port}/hooks/reviewsense`, SECRET).catch(() => null);
      if (answer && answer.status >= 200 && answer.status < 300) return performance.now() - started;
      await sleep(5);
    }
  } finally {
    await serve.stop();
  }
}

const cell = (values: number[], digits = 0): string => `${median(values).toFixed(digits)} (${values.map((v) => v.toFixed(digits)).join(', ')})`;

async function main(): Promise<void> {
  const paths = process.argv.slice(2);
  if (paths.length < 1 || paths.length > 2) throw new Error('Usage: npm run bench:paired -- <another checkout, built> [<a second one, against the first>]');
  const buildOf = (path: string): Build => {
    if (!existsSync(join(resolve(path), 'out', 'main', 'cli.js'))) throw new Error(`${path} has no build: run npm run build there first.`);
    return { name: path, cli: join(resolve(path), 'bin', 'hooklens.js') };
  };
  const builds: Build[] = paths.length === 2 ? paths.map(buildOf) : [{ name: 'this build', cli: CLI }, buildOf(paths[0] as string)];
  const root = mkdtempSync(join(tmpdir(), 'hooklens-paired-'));
  // Each build's compile cache of its own, filled by its first runs, as a user's is.
  const lines: string[] = ['| Build | Connections | Deliveries/s, median (rounds) | Server CPU µs/delivery, median (rounds) |', '|---|---:|---|---|'];
  try {
    for (const connections of CONNECTIONS) {
      const results = builds.map(() => ({ perSecond: [] as number[], cpuUs: [] as number[] }));
      for (let round = 0; round < ROUNDS; round++) {
        // Alternated, each build first every other round.
        const order = round % 2 === 0 ? [0, 1] : [1, 0];
        for (const index of order) {
          const result = await throughput(builds[index] as Build, root, connections);
          log(`round ${round + 1}, c=${connections}, ${builds[index]?.name}: ${Math.round(result.perSecond)}/s, ${Math.round(result.cpuUs)} µs/delivery`);
          results[index]?.perSecond.push(result.perSecond);
          results[index]?.cpuUs.push(result.cpuUs);
        }
      }
      builds.forEach((build, index) => lines.push(`| ${build.name} | ${connections} | ${cell(results[index]?.perSecond ?? [])} | ${cell(results[index]?.cpuUs ?? [])} |`));
    }
    const cold = builds.map(() => [] as number[]);
    for (let i = 0; i < COLD_STARTS; i++) {
      for (const index of i % 2 === 0 ? [0, 1] : [1, 0]) cold[index]?.push(await coldStart(builds[index] as Build, root));
    }
    lines.push('', '| Build | Cold start to first 2xx, ms, median (runs) |', '|---|---|');
    builds.forEach((build, index) => lines.push(`| ${build.name} | ${cell(cold[index] ?? [])} |`));
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
