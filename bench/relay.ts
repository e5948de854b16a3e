/**
 * The team relay's figures, in the same run as serve's: deliveries/s and answer p99 of `hooklens
 * serve`, and of `hooklens relay` with 0, 1 and 50 subscribers (plus one socket that never reads),
 * in alternated rounds; the relay's memory meanwhile; and the time from the relay's answer (sent
 * after its commit) to a subscriber's `delivery` line (printed after its own commit), p50/p95.
 * Env: BENCH_RELAY_CONNECTIONS (default 10), BENCH_RELAY_LAG (deliveries timed, default 300, at 50/s).
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { checkDatabase } from './db-check';
import { runLoad, signedPost, type LoadResult } from './load';
import { CLI, cpuMs, memoryKiB, startRelay, startServe, startSubscriber, startSwarm, type Child } from './serve-process';

export const RELAY_TARGETS = ['serve', 'relay, 0 subscribers', 'relay, 1 subscriber', 'relay, 50 subscribers + 1 stalled'] as const;
export type RelayTarget = (typeof RELAY_TARGETS)[number];

export interface RelayRun {
  target: RelayTarget;
  round: number;
  load: LoadResult;
  /** The receiving process's resident memory during the load: the highest sample, and at its end. */
  rssPeakKiB: number;
  rssEndKiB: number;
  /** CPU the receiving process used per delivery during the load (less swayed by a busy machine than latency). */
  cpuUsPerDelivery: number;
  /** What reached the subscribers (or the database, for serve), in words. */
  check: string;
  missing: number;
}

export interface RelayFigures {
  connections: number;
  durationSeconds: number;
  runs: RelayRun[];
  /** Relay's answer → subscriber's delivery line, ms, one per delivery, sent at `lagRate` a second. */
  lagMs: number[];
  lagRate: number;
}

interface Options {
  root: string;
  secret: string;
  durationSeconds: number;
  warmupSeconds: number;
  rounds: number;
  log: (line: string) => void;
}

const CONNECTIONS = Number(process.env.BENCH_RELAY_CONNECTIONS ?? 10);
const LAG_COUNT = Number(process.env.BENCH_RELAY_LAG ?? 300);
const LAG_RATE = 50;

function tokenFor(dataDir: string): string {
  const added = spawnSync(process.execPath, [CLI, 'relay', 'token', 'add', 'bench', '--data-dir', dataDir], { encoding: 'utf8' });
  if (added.status !== 0) throw new Error(`relay token add: ${added.stderr}`);
  return added.stdout.trim();
}

const rowsIn = (dataDir: string): number => {
  const db = new Database(join(dataDir, 'hooklens.db'), { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT count(*) FROM deliveries').pluck().get() as number;
  } finally {
    db.close();
  }
};

/** Waits until `count()` reaches `want` (subscribers catching up after the load), for at most 60 s. */
async function reaches(count: () => number, want: number): Promise<number> {
  const until = Date.now() + 60_000;
  let now = count();
  while (now < want && Date.now() < until) {
    await sleep(100);
    now = count();
  }
  return now;
}

/** One target, started for its run: its subscribers, a warm-up, the measured load, then what reached whom. */
async function relayRun(options: Options, target: RelayTarget, round: number): Promise<RelayRun> {
  const dataDir = join(options.root, `relay-${RELAY_TARGETS.indexOf(target)}-${round}`);
  const relay = target !== 'serve';
  const token = relay ? tokenFor(dataDir) : '';
  const server = relay ? startRelay({ secret: options.secret, dataDir }) : startServe({ secret: options.secret, dataDir });
  const helpers: Child[] = [];
  let fewest = 0;
  const subscriberDir = `${dataDir}-subscriber`;
  try {
    const ready = await server.ready;
    const streamUrl = `${new URL(ready.receiverUrl).origin}/relay/v1/stream`;
    if (target === 'relay, 1 subscriber') {
      let connected: () => void = () => undefined;
      const following = new Promise<void>((resolve) => (connected = resolve));
      const onLine = (line: Record<string, unknown>) => line.event === 'relay' && line.status === 'connected' && connected();
      helpers.push(startSubscriber({ secret: options.secret, dataDir: subscriberDir, relay: streamUrl, token, onLine, nice: true }));
      await following;
    }
    if (target === 'relay, 50 subscribers + 1 stalled') {
      helpers.push(startSwarm({ streamUrl, token, healthy: 50, stalled: 1, onLine: (line) => (fewest = line.event === 'progress' ? Number(line.fewest) : fewest) }));
      await helpers[0]?.ready;
    }
    const warm = options.warmupSeconds > 0 ? (await runLoad({ url: ready.receiverUrl, secret: options.secret, connections: CONNECTIONS, duration: options.warmupSeconds })).acked : [];
    let rssPeakKiB = 0;
    const sampler = setInterval(() => (rssPeakKiB = Math.max(rssPeakKiB, memoryKiB(server.pid).rss)), 250);
    const cpu0 = cpuMs(server.pid);
    const helpersCpu0 = helpers.reduce((sum, helper) => sum + cpuMs(helper.pid), 0);
    const started = performance.now();
    const load = await runLoad({ url: ready.receiverUrl, secret: options.secret, connections: CONNECTIONS, duration: options.durationSeconds });
    const cpuUsPerDelivery = load.ok > 0 ? ((cpuMs(server.pid) - cpu0) * 1000) / load.ok : NaN;
    const subscribersCpuPct = helpers.length > 0 ? (100 * (helpers.reduce((sum, helper) => sum + cpuMs(helper.pid), 0) - helpersCpu0)) / (performance.now() - started) : null;
    clearInterval(sampler);
    const rssEndKiB = memoryKiB(server.pid).rss;
    rssPeakKiB = Math.max(rssPeakKiB, rssEndKiB);
    // Requests still on their way when the load stopped are answered (and committed) within their p99.
    await sleep(Math.max(500, 2 * load.p99));
    const stored = rowsIn(dataDir);
    let check = `${stored} stored`;
    let missing = 0;
    if (target === 'relay, 1 subscriber') {
      const got = await reaches(() => rowsIn(subscriberDir), stored);
      check = `subscriber has ${got} of ${stored}`;
      missing = stored - got;
    } else if (target === 'relay, 50 subscribers + 1 stalled') {
      const got = await reaches(() => fewest, stored);
      check = `each of 50 has ≥ ${got} of ${stored}; the stalled socket read none`;
      missing = stored - got;
    }
    for (const helper of helpers) await helper.stop();
    const code = await server.stop();
    const db = checkDatabase(ready.db ?? join(dataDir, 'hooklens.db'), [...warm, ...load.acked]);
    missing += db.missing;
    if (code !== 0) check += `; exited ${code}`;
    if (subscribersCpuPct !== null) check += `; the subscribers' process used ${Math.round(subscribersCpuPct)} % of a core`;
    return { target, round, load, rssPeakKiB, rssEndKiB, cpuUsPerDelivery, check: `${check}; acked missing ${db.missing}`, missing };
  } finally {
    for (const helper of helpers) await helper.stop();
    await server.stop();
  }
}

/** A relay and one subscriber; deliveries at LAG_RATE a second, each timed from its 2xx to the subscriber's line. */
async function lagRun(options: Options): Promise<number[]> {
  const dataDir = join(options.root, 'relay-lag');
  const token = tokenFor(dataDir);
  const server = startRelay({ secret: options.secret, dataDir });
  const rowAt = new Map<string, number>();
  let connected: () => void = () => undefined;
  const following = new Promise<void>((resolve) => (connected = resolve));
  try {
    const ready = await server.ready;
    const subscriber = startSubscriber({
      secret: options.secret,
      dataDir: `${dataDir}-subscriber`,
      relay: new URL(ready.receiverUrl).origin,
      token,
      onLine: (line, at) => {
        if (line.event === 'relay' && line.status === 'connected') connected();
        if (line.event === 'delivery' && typeof line.eventId === 'string') rowAt.set(line.eventId, at);
      },
    });
    try {
      await following;
      const answered: Promise<{ eventId: string; at: number }>[] = [];
      const started = performance.now();
      for (let i = 0; i < LAG_COUNT; i++) {
        const wait = started + (i * 1000) / LAG_RATE - performance.now();
        if (wait > 0) await sleep(wait);
        answered.push(signedPost(ready.receiverUrl, options.secret).then(({ eventId }) => ({ eventId, at: performance.now() })));
      }
      const acks = await Promise.all(answered);
      await reaches(() => rowAt.size, acks.length);
      return acks.flatMap(({ eventId, at }) => (rowAt.has(eventId) ? [(rowAt.get(eventId) as number) - at] : []));
    } finally {
      await subscriber.stop();
    }
  } finally {
    await server.stop();
  }
}

export async function relayBench(options: Options): Promise<RelayFigures> {
  const runs: RelayRun[] = [];
  for (let round = 1; round <= options.rounds; round++) {
    // Rotated each round and reversed every other one, so no target always follows the same one.
    const order = RELAY_TARGETS.map((_, i) => RELAY_TARGETS[(round - 1 + i) % RELAY_TARGETS.length] as RelayTarget);
    if (round % 2 === 0) order.reverse();
    for (const target of order) {
      const run = await relayRun(options, target, round);
      options.log(`round ${round}: ${target} c=${CONNECTIONS}: ${Math.round(run.load.perSecond)}/s, p99 ${run.load.p99} ms, ${Math.round(run.cpuUsPerDelivery)} µs CPU a delivery, RSS peak ${Math.round(run.rssPeakKiB / 1024)} MiB; ${run.check}`);
      runs.push(run);
    }
  }
  const lagMs = await lagRun(options);
  options.log(`relay → subscriber: ${lagMs.length} deliveries at ${LAG_RATE}/s timed`);
  return { connections: CONNECTIONS, durationSeconds: options.durationSeconds, runs, lagMs, lagRate: LAG_RATE };
}
