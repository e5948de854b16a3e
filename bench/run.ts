/**
 * `npm run bench`: hooklens serve vs a bare node:http server, figures not assertions.
 * Env: BENCH_DURATION (s per run, default 8), BENCH_WARMUP (s, default 1),
 * BENCH_CONNECTIONS (default "10,100"), BENCH_RSS_AMOUNT (default 100000), BENCH_KEEP=1 keeps the data dirs.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkDatabase, type DbCheck } from './db-check';
import { runLoad, signedPost, type LoadResult } from './load';
import { markdown, type CpuUse, type Extras, type ThroughputRow } from './report';
import { CLI, cpuMs, freePort, machineBusyMs, memoryKiB, startBareServer, startServe } from './serve-process';

const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10,100').split(',').map(Number);
const RSS_AMOUNT = Number(process.env.BENCH_RSS_AMOUNT ?? 100_000);
const COLD_STARTS = 3;
const SECRET = `whsec_bench_${randomBytes(12).toString('hex')}`;

const log = (line: string): boolean => process.stderr.write(`bench: ${line}\n`);
const summary = (l: LoadResult): string =>
  `${Math.round(l.perSecond)}/s, p50 ${l.p50} ms, p99 ${l.p99} ms, non-2xx ${l.non2xx}, errors ${l.errors}, statuses ${JSON.stringify(l.statusCodes)}`;
const dbSummary = (d: DbCheck): string =>
  `rows ${d.rows}, acked ${d.acked}, missing ${d.missing}, not-valid ${d.notValid}, duplicates ${d.duplicates}, quick_check ${d.integrity}`;

/** Runs a load and measures the CPU used meanwhile by the server (`pid`) and by this process (the load generator). */
async function measured(pid: number, url: string, connections: number): Promise<{ load: LoadResult; cpu: CpuUse }> {
  const server0 = cpuMs(pid);
  const machine0 = machineBusyMs();
  const self0 = process.cpuUsage();
  const started = performance.now();
  const load = await runLoad({ url, secret: SECRET, connections, duration: DURATION });
  const wall = performance.now() - started;
  const self = process.cpuUsage(self0);
  const server = cpuMs(pid) - server0;
  const generator = (self.user + self.system) / 1000;
  const cpu = {
    serverPct: (100 * server) / wall,
    serverUsPerRequest: load.ok > 0 ? (1000 * server) / load.ok : NaN,
    generatorPct: (100 * generator) / wall,
    otherPct: (100 * (machineBusyMs() - machine0 - server - generator)) / wall,
  };
  log(
    `  cpu: server ${cpu.serverPct.toFixed(0)} %, ${cpu.serverUsPerRequest.toFixed(0)} µs/request; ` +
      `load generator ${cpu.generatorPct.toFixed(0)} %; rest of the machine ${cpu.otherPct.toFixed(0)} %`,
  );
  return { load, cpu };
}

async function warmup(url: string, connections: number): Promise<string[]> {
  if (WARMUP <= 0) return [];
  return (await runLoad({ url, secret: SECRET, connections, duration: WARMUP })).acked;
}

async function bareRuns(): Promise<ThroughputRow[]> {
  const bare = startBareServer();
  const { receiverUrl } = await bare.ready;
  const rows: ThroughputRow[] = [];
  try {
    for (const connections of CONNECTIONS) {
      await warmup(receiverUrl, connections);
      const { load, cpu } = await measured(bare.pid, receiverUrl, connections);
      log(`node:http  c=${connections}: ${summary(load)}`);
      rows.push({ target: 'node:http', load, cpu });
    }
  } finally {
    await bare.stop();
  }
  return rows;
}

/** Fresh serve process and data dir; `work` drives it; after SIGTERM every acked id is checked. */
async function withServe<T>(root: string, name: string, work: (url: string, pid: number) => Promise<{ acked: string[]; value: T }>): Promise<{ value: T; db: DbCheck }> {
  const dataDir = join(root, name);
  const serve = startServe({ secret: SECRET, dataDir });
  const ready = await serve.ready;
  let outcome: { acked: string[]; value: T };
  try {
    outcome = await work(ready.receiverUrl, serve.pid);
  } finally {
    const code = await serve.stop();
    if (code !== 0) log(`${name}: serve exited with ${code}: ${serve.stderrTail().trim()}`);
  }
  const db = checkDatabase(ready.db ?? join(dataDir, 'hooklens.db'), outcome.acked);
  log(`${name}: ${dbSummary(db)}`);
  return { value: outcome.value, db };
}

async function hooklensRuns(root: string): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const connections of CONNECTIONS) {
    const { value, db } = await withServe(root, `serve-c${connections}`, async (url, pid) => {
      const warm = await warmup(url, connections);
      const { load, cpu } = await measured(pid, url, connections);
      log(`hooklens   c=${connections}: ${summary(load)}`);
      return { acked: [...warm, ...load.acked], value: { load, cpu } };
    });
    rows.push({ target: 'hooklens', ...value, db });
  }
  return rows;
}

/** Spawn → first 2xx to a signed POST, polling every 5 ms on a port chosen beforehand. */
async function coldStart(root: string, index: number): Promise<{ firstAckMs: number; readyMs: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/hooks/reviewsense`;
  const started = performance.now();
  const serve = startServe({ secret: SECRET, dataDir: join(root, `cold-${index}`), port });
  let readyMs = NaN;
  void serve.ready.then(() => (readyMs = performance.now() - started), () => undefined);
  try {
    for (;;) {
      if (serve.child.exitCode !== null) throw new Error(`serve exited during cold start: ${serve.stderrTail()}`);
      const answer = await signedPost(url, SECRET).catch(() => null);
      if (answer && answer.status >= 200 && answer.status < 300) {
        const firstAckMs = performance.now() - started;
        await serve.ready;
        return { firstAckMs, readyMs };
      }
      await sleep(5);
    }
  } finally {
    await serve.stop();
  }
}

async function rssRun(root: string): Promise<Extras['rss']> {
  let atReadyKiB = 0;
  const { value, db } = await withServe(root, 'serve-rss', async (url, pid) => {
    atReadyKiB = memoryKiB(pid).rss;
    const load = await runLoad({ url, secret: SECRET, connections: 100, amount: RSS_AMOUNT });
    const memory = memoryKiB(pid);
    log(`hooklens   ${RSS_AMOUNT} deliveries: ${summary(load)}; RSS ${memory.rss} KiB, peak ${memory.peak} KiB`);
    return { acked: load.acked, value: { load, memory } };
  });
  return {
    atReadyKiB,
    afterKiB: value.memory.rss,
    peakKiB: value.memory.peak,
    deliveries: value.load.ok,
    seconds: value.load.seconds,
    perSecond: value.load.perSecond,
    db,
  };
}

async function main(): Promise<void> {
  if (!existsSync(join(__dirname, '..', 'out', 'main', 'cli.js'))) {
    throw new Error(`${CLI} needs a build: run \`npm run build\` first.`);
  }
  const root = mkdtempSync(join(tmpdir(), 'hooklens-bench-'));
  log(`data in ${root}; ${DURATION} s per run (+${WARMUP} s warm-up), connections ${CONNECTIONS.join(', ')}`);
  try {
    const rows = [...(await bareRuns()), ...(await hooklensRuns(root))];
    rows.sort((a, b) => a.load.connections - b.load.connections || (a.target === 'node:http' ? -1 : 1));

    const cold: { firstAckMs: number; readyMs: number }[] = [];
    for (let i = 0; i < COLD_STARTS; i++) cold.push(await coldStart(root, i));
    log(`cold start: ${cold.map((c) => `${Math.round(c.firstAckMs)} ms (ready ${Math.round(c.readyMs)} ms)`).join(', ')}`);

    const rss = await rssRun(root);
    const table = markdown(rows, {
      durationSeconds: DURATION,
      coldStartMs: cold.map((c) => c.firstAckMs),
      readyLineMs: cold.map((c) => c.readyMs),
      rss,
    });
    process.stdout.write(`\n${table}`);
    writeFileSync(join(__dirname, 'results.md'), `# Benchmark results (\`npm run bench\`, ${new Date().toISOString().slice(0, 10)})\n\n${table}`);
    log('table written to bench/results.md');

    const missing = [...rows.map((r) => r.db?.missing ?? 0), rss.db.missing].reduce((a, b) => a + b, 0);
    if (missing > 0) {
      log(`${missing} acknowledged deliveries are NOT in the database`);
      process.exitCode = 1;
    }
  } finally {
    if (process.env.BENCH_KEEP === '1') log(`kept ${root}`);
    else rmSync(root, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
