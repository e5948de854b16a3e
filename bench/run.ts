/**
 * `npm run bench`: every figure of the speed-and-scale targets in one run, figures not assertions.
 * hooklens serve vs a bare node:http server and vs its own receiver storing nothing, in alternated
 * rounds (same run, same machine); a database filled with
 * BENCH_STORED deliveries through the receiver, then cold start, reads and the UI on it; a kill -9
 * under load; the team relay beside serve (bench/relay.ts).
 * Env: BENCH_DURATION (s per run, default 8), BENCH_WARMUP (s, default 1),
 * BENCH_CONNECTIONS (default "10,100"), BENCH_STORED (default 1000000), BENCH_ROUNDS (default 3),
 * BENCH_UI=0 skips the browser part, BENCH_KEEP=1 keeps the data dirs, BENCH_IMPORT_MIB (size of
 * each file `hooklens import` reads, default 256).
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { checkDatabase, type DbCheck } from './db-check';
import { measureDeleteAll, type DeleteAllFigures } from './delete-all';
import { fillThroughReceiver } from './fill';
import { importLine, measureImportMemory, type ImportMemoryFigures } from './import-memory';
import { killRun } from './kill-run';
import { shareOfMachine } from './machine-share';
import { relayBench } from './relay';
import { relayMarkdown } from './relay-report';
import { runLoad, signedPost, type LoadResult } from './load';
import { measureQueries } from './queries';
import { markdown, type CpuUse, type Extras, type ThroughputRow } from './report';
import { uiBench, type UiFigures } from './ui';
import { CLI, freePort, startBareServer, startReceiverFloor, startServe, type Child, type Ready } from './serve-process';

const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
const CONNECTIONS = (process.env.BENCH_CONNECTIONS ?? '10,100').split(',').map(Number);
const STORED = Number(process.env.BENCH_STORED ?? 1_000_000);
const COLD_STARTS = 5;
/** The connection count at which the receiver is also measured committing, without and with search indexing. */
const STEPS_AT = 100;
const STORING_STEP = { rows: 'receiver, committed, not indexed', indexed: 'receiver, committed and indexed' } as const;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error(`BENCH_ROUNDS must be a whole number ≥ 1, got ${process.env.BENCH_ROUNDS}`);
const SECRET = `whsec_bench_${randomBytes(12).toString('hex')}`;

const log = (line: string): boolean => process.stderr.write(`bench: ${line}\n`);
const summary = (l: LoadResult): string =>
  `${Math.round(l.perSecond)}/s, p50 ${l.p50} ms, p99 ${l.p99} ms, non-2xx ${l.non2xx}, errors ${l.errors}, statuses ${JSON.stringify(l.statusCodes)}`;
const dbSummary = (d: DbCheck): string =>
  `rows ${d.rows}, acked ${d.acked}, missing ${d.missing}, not-valid ${d.notValid}, duplicates ${d.duplicates}, quick_check ${d.integrity}`;

/** Runs a load and measures the CPU used meanwhile by the server (`pid`) and by this process (the load generator). */
async function measured(pid: number, url: string, connections: number): Promise<{ load: LoadResult; cpu: CpuUse }> {
  const { value: load, share } = await shareOfMachine({ pids: { server: pid }, programs: {} }, async () => ({
    value: await runLoad({ url, secret: SECRET, connections, duration: DURATION }),
  }));
  const server = share.parts.server ?? 0;
  const cpu = {
    serverPct: 100 * server,
    serverUsPerRequest: load.ok > 0 ? (1000 * server * share.wallMs) / load.ok : NaN,
    generatorPct: 100 * (share.parts['this bench'] ?? 0),
    otherPct: 100 * (share.parts['rest of the machine'] ?? 0),
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

/** Fresh serve process and data dir; `work` drives it; after SIGTERM every acked id is checked. */
async function withServe<T>(root: string, name: string, work: (url: string, pid: number) => Promise<{ acked: string[]; value: T }>): Promise<{ value: T; db: DbCheck }> {
  const dataDir = join(root, name);
  const serve = startServe({ secret: SECRET, dataDir });
  let ready: Ready;
  let outcome: { acked: string[]; value: T };
  try {
    // Inside the try: a serve that never gets ready is still stopped, so the bench cannot hang on it.
    ready = await serve.ready;
    outcome = await work(ready.receiverUrl, serve.pid);
  } finally {
    const code = await serve.stop();
    if (code !== 0) log(`${name}: serve exited with ${code}: ${serve.stderrTail().trim()}`);
  }
  const db = checkDatabase(ready.db ?? join(dataDir, 'hooklens.db'), outcome.acked);
  log(`${name}: ${dbSummary(db)}`);
  return { value: outcome.value, db };
}

/** One measurement of a baseline server started for it. */
async function baselineRun(target: ThroughputRow['target'], start: () => Child, connections: number, round: number): Promise<ThroughputRow> {
  const child = start();
  try {
    const { receiverUrl } = await child.ready;
    await warmup(receiverUrl, connections);
    const { load, cpu } = await measured(child.pid, receiverUrl, connections);
    log(`round ${round}: ${target} c=${connections}: ${summary(load)}`);
    // A baseline that refuses requests (a wrong secret, say) measures something else.
    if (load.non2xx > 0 || load.errors > 0 || load.ok === 0) throw new Error(`${target}: ${summary(load)}; a baseline must answer every request 2xx`);
    return { target, round, load, cpu };
  } finally {
    await child.stop();
  }
}

async function serveRun(root: string, connections: number, round: number): Promise<ThroughputRow> {
  const { value, db } = await withServe(root, `serve-c${connections}-${round}`, async (url, pid) => {
    const warm = await warmup(url, connections);
    const { load, cpu } = await measured(pid, url, connections);
    log(`round ${round}: hooklens c=${connections}: ${summary(load)}`);
    return { acked: [...warm, ...load.acked], value: { load, cpu } };
  });
  return { target: 'hooklens', round, ...value, db };
}

/**
 * node:http, Hooklens's receiver storing nothing, and `hooklens serve` (at STEPS_AT connections
 * also the receiver committing, without and with search indexing), in alternated rounds at
 * each connection count: on this machine one measurement of the same build ranged over
 * 130–236 µs of CPU, and a baseline measured in a busy minute made one ratio 1.15. The report
 * takes medians, and each ratio as the median of the rounds' own ratios. The order changes each
 * round, so no target always follows the same one (serve's write-back, say).
 */
async function throughputRounds(root: string): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  for (const connections of CONNECTIONS) {
    for (let round = 1; round <= ROUNDS; round++) {
      const targets = [
        () => baselineRun('node:http', startBareServer, connections, round),
        () => baselineRun('receiver, nothing stored', () => startReceiverFloor(SECRET), connections, round),
        () => serveRun(root, connections, round),
      ];
      // Where serve's CPU a delivery goes, step by step, at the connection count its target is set at.
      if (connections === STEPS_AT) {
        for (const store of ['rows', 'indexed'] as const) {
          const dataDir = join(root, `receiver-${store}-c${connections}-${round}`);
          targets.push(() => baselineRun(STORING_STEP[store], () => startReceiverFloor(SECRET, { store, dataDir }), connections, round));
        }
      }
      // Rotated each round and reversed every other one, so each target follows each other one.
      const order = targets.map((_, i) => targets[(round - 1 + i) % targets.length] as () => Promise<ThroughputRow>);
      if (round % 2 === 0) order.reverse();
      for (const run of order) rows.push(await run());
    }
  }
  return rows;
}

type ColdStart = { firstAckMs: number; readyMs: number };
const coldLine = (runs: ColdStart[]): string => runs.map((c) => `${Math.round(c.firstAckMs)} ms (ready ${Math.round(c.readyMs)} ms)`).join(', ');
const msLine = (runs: number[]): string => runs.map((ms) => `${Math.round(ms)} ms`).join(', ');

/** Polls `url` every 5 ms with a signed POST until it answers a 2xx; the time since `started`. */
async function firstAck(url: string, started: number, exited: () => string | null): Promise<number> {
  for (;;) {
    const why = exited();
    if (why !== null) throw new Error(why);
    const answer = await signedPost(url, SECRET).catch(() => null);
    if (answer && answer.status >= 200 && answer.status < 300) return performance.now() - started;
    await sleep(5);
  }
}

/** Spawn → first 2xx to a signed POST, on a port chosen beforehand. */
async function coldStart(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ColdStart> {
  const port = await freePort();
  const started = performance.now();
  const serve = startServe({ secret: SECRET, dataDir, port, env });
  let readyMs = NaN;
  void serve.ready.then(() => (readyMs = performance.now() - started), () => undefined);
  try {
    const firstAckMs = await firstAck(`http://127.0.0.1:${port}/hooks/reviewsense`, started, () =>
      serve.child.exitCode === null ? null : `serve exited during cold start: ${serve.stderrTail()}`,
    );
    await serve.ready;
    return { firstAckMs, readyMs };
  } finally {
    await serve.stop();
  }
}

/** The floor under every cold start here: Node itself starting a bare node:http server that answers 200. */
const NODE_FLOOR = "require('node:http').createServer((q, s) => q.resume().on('end', () => s.end('{}'))).listen(Number(process.argv[1]), '127.0.0.1')";

/** `node -e` with that server, timed as `coldStart` times serve: the same machine's floor, in the same minutes. */
async function nodeColdStart(): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, ['-e', NODE_FLOOR, String(port)], { stdio: 'ignore' });
  const exited = once(child, 'exit');
  try {
    return await firstAck(`http://127.0.0.1:${port}/hooks/reviewsense`, started, () => (child.exitCode === null ? null : `node -e exited (${child.exitCode})`));
  } finally {
    child.kill();
    await exited;
  }
}

/** Cold starts on the stored database, one after another, each after a `node -e` floor. */
async function storedColdStarts(dataDir: string): Promise<{ cold: ColdStart[]; node: number[] }> {
  const cold: ColdStart[] = [];
  const node: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    node.push(await nodeColdStart());
    cold.push(await coldStart(dataDir));
  }
  log(`cold start, ${STORED.toLocaleString('en')} stored: ${coldLine(cold)}; node -e floor (alternating): ${msLine(node)}`);
  return { cold, node };
}

/**
 * Cold starts on an empty database with the compile cache on and off, and the `node -e` floor,
 * alternated: the machine's drift (and the write-back of the runs before) then weighs on all alike.
 */
async function pairedColdStarts(root: string): Promise<{ cached: ColdStart[]; uncached: ColdStart[]; node: number[] }> {
  const cached: ColdStart[] = [];
  const uncached: ColdStart[] = [];
  const node: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    node.push(await nodeColdStart());
    cached.push(await coldStart(join(root, `cold-${i}`)));
    // The first start after an install or upgrade, before the cache exists.
    uncached.push(await coldStart(join(root, `cold-uncached-${i}`), { NODE_DISABLE_COMPILE_CACHE: '1' }));
  }
  log(`cold start, empty database: ${coldLine(cached)}`);
  log(`cold start, empty database, compile cache off (alternating with the above): ${coldLine(uncached)}`);
  log(`cold start, node -e floor (alternating with the above): ${msLine(node)}`);
  return { cached, uncached, node };
}

/** STORED deliveries through the receiver (the mixed stream), RSS after them, then reads on that database. */
async function storedRun(dataDir: string): Promise<Extras['stored']> {
  log(`filling ${STORED.toLocaleString('en')} deliveries through the receiver…`);
  const fill = await fillThroughReceiver({ dataDir, secret: SECRET, amount: STORED });
  log(`hooklens   ${STORED} deliveries: ${summary(fill.load)}; RSS ${fill.afterKiB} KiB, peak ${fill.peakKiB} KiB`);
  const db = checkDatabase(fill.dbFile, fill.load.acked);
  log(`stored: ${dbSummary(db)}`);
  const queries = measureQueries(dataDir);
  for (const t of queries.timings) log(`  ${t.name}: ${t.rows} rows, p50 ${t.p50Ms.toFixed(2)} ms, p95 ${t.p95Ms.toFixed(2)} ms`);
  return {
    atReadyKiB: fill.atReadyKiB,
    afterKiB: fill.afterKiB,
    peakKiB: fill.peakKiB,
    deliveries: fill.load.ok,
    seconds: fill.load.seconds,
    perSecond: fill.load.perSecond,
    serverCpuUs: (fill.serverCpuMs * 1000) / fill.load.ok,
    db,
    queries,
  };
}

async function main(): Promise<void> {
  if (!existsSync(join(__dirname, '..', 'out', 'main', 'cli.js'))) {
    throw new Error(`${CLI} needs a build: run \`npm run build\` first.`);
  }
  const root = mkdtempSync(join(tmpdir(), 'hooklens-bench-'));
  // The CLI's compile cache, fresh for this run; the throughput runs' long serves fill it, as a
  // user's first `serve` does.
  process.env.HOOKLENS_COMPILE_CACHE = join(root, 'compile-cache');
  log(`data in ${root}; ${DURATION} s per run (+${WARMUP} s warm-up), connections ${CONNECTIONS.join(', ')}`);
  try {
    const rows = await throughputRounds(root);
    const relay = await relayBench({ root, secret: SECRET, durationSeconds: DURATION, warmupSeconds: WARMUP, rounds: ROUNDS, log });
    const { cached: coldEmpty, uncached: coldUncached, node: coldNode } = await pairedColdStarts(root);
    const storedDir = join(root, 'stored');
    const stored = await storedRun(storedDir);
    const { cold: coldStored, node: coldStoredNode } = await storedColdStarts(storedDir);
    const kill = await killRun(root, SECRET);
    log(`kill -9 under load: ${dbSummary(kill.db)}`);
    let ui: UiFigures | null = null;
    if (process.env.BENCH_UI !== '0') ui = await uiBench({ storedDir, storedRows: stored.db.rows });
    let deleteAll: DeleteAllFigures | string;
    try {
      deleteAll = measureDeleteAll(storedDir, join(root, 'delete-all'));
      log(`Delete all, ${deleteAll.rows} stored: ${deleteAll.ms.toFixed(0)} ms (row by row: ${deleteAll.rowByRowMs.toFixed(0)} ms)`);
    } catch (error) {
      // Two copies of the database: a full disk must not cost the whole run's figures.
      deleteAll = `not measured (${error instanceof Error ? error.message : String(error)})`;
      log(`Delete all: ${deleteAll}`);
    }
    let importMemory: ImportMemoryFigures | string;
    try {
      importMemory = await measureImportMemory(root);
      for (const run of importMemory.runs) log(`import: ${importLine(run, importMemory.baseline)}`);
    } catch (error) {
      // Files of a few hundred MB: a full disk must not cost the whole run's figures.
      importMemory = `not measured (${error instanceof Error ? error.message : String(error)})`;
      log(`import: ${importMemory}`);
    }
    const serveTable = markdown(rows, {
      durationSeconds: DURATION,
      coldStartMs: coldEmpty.map((c) => c.firstAckMs),
      readyLineMs: coldEmpty.map((c) => c.readyMs),
      coldStartUncachedMs: coldUncached.map((c) => c.firstAckMs),
      coldStartStoredMs: coldStored.map((c) => c.firstAckMs),
      coldStartNodeMs: coldNode,
      coldStartStoredNodeMs: coldStoredNode,
      stored,
      kill,
      ui,
      deleteAll,
      importMemory,
    });
    const table = `${serveTable}${relayMarkdown(relay)}`;
    process.stdout.write(`\n${table}`);
    writeFileSync(join(__dirname, 'results.md'), `# Benchmark results (\`npm run bench\`, ${new Date().toISOString().slice(0, 10)})\n\n${table}`);
    log('table written to bench/results.md');

    const missing = [...rows.map((r) => r.db?.missing ?? 0), ...relay.runs.map((r) => r.missing), stored.db.missing, kill.db.missing].reduce((a, b) => a + b, 0);
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
