import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
export const CLI = join(ROOT, 'bin', 'hooklens.js');
const BARE_SERVER = join(__dirname, 'bare-server.ts');
const RECEIVER_FLOOR = join(__dirname, 'receiver-floor.ts');
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 30_000;

export interface Ready {
  event: 'ready';
  receiverUrl: string;
  db?: string;
}

export interface Child {
  child: ChildProcess;
  pid: number;
  /** The JSON ready line, once printed. */
  ready: Promise<Ready>;
  /** SIGTERM, then wait for exit; resolves to the exit code (null if it died by a signal). */
  stop: () => Promise<number | null>;
  /** The last few KiB of stderr, for error messages. */
  stderrTail: () => string;
}

/**
 * Starts a child that prints a JSON `ready` line on stdout. Both pipes are drained for the
 * child's whole life (a full pipe would block `hooklens serve`, which logs every delivery).
 */
function startChild(args: string[], env: NodeJS.ProcessEnv = {}, onLine?: (line: Record<string, unknown>, at: number) => void, nice = false): Child {
  // `nice` execs node in its place: the pid is node's. Used for processes that stand in for other machines.
  const [command, argv] = nice ? ['nice', ['-n', '19', process.execPath, ...args]] : [process.execPath, args];
  const child = spawn(command, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', ...env } });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4096);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );

  const ready = new Promise<Ready>((resolve, reject) => {
    let buffered = '';
    let found = false;
    const timer = setTimeout(() => reject(new Error(`no ready line after ${READY_TIMEOUT_MS} ms: ${stderr}`)), READY_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      if (found && !onLine) return;
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        // Each JSON line, when the caller reads them (a subscriber's delivery lines, timed as they come).
        if (onLine && line.startsWith('{')) onLine(JSON.parse(line) as Record<string, unknown>, performance.now());
        if (found || !line.includes('"ready"')) continue;
        found = true;
        clearTimeout(timer);
        resolve(JSON.parse(line) as Ready);
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      if (!found) reject(new Error(`exited (${code ?? signal}) before ready: ${stderr.trim()}`));
    });
  });
  ready.catch(() => undefined);

  async function stop(): Promise<number | null> {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    const { code } = await exited;
    clearTimeout(timer);
    return code;
  }

  return { child, pid: child.pid as number, ready, stop, stderrTail: () => stderr };
}

/** `cli`: another build's bin/hooklens.js (bench/paired.ts), this checkout's by default. */
export function startServe(options: { secret: string; dataDir: string; port?: number; env?: NodeJS.ProcessEnv; cli?: string }): Child {
  return startChild([
    options.cli ?? CLI, 'serve', '--json', '--no-ui',
    '--port', String(options.port ?? 0),
    '--secret', options.secret,
    '--data-dir', options.dataDir,
  ], options.env);
}

/** `hooklens relay`, verifying with the same secret as serve (the same work per delivery). */
export function startRelay(options: { secret: string; dataDir: string }): Child {
  return startChild([CLI, 'relay', '--json', '--port', '0', '--secret', options.secret, '--data-dir', options.dataDir]);
}

/**
 * `hooklens serve --relay`: a developer's Hooklens following the relay; its JSON lines go to `onLine`.
 * `nice`: at the lowest priority, so on this small machine it takes what the relay leaves, as one
 * on a laptop elsewhere would.
 */
export function startSubscriber(options: { secret: string; dataDir: string; relay: string; token: string; onLine: (line: Record<string, unknown>, at: number) => void; nice?: boolean }): Child {
  const args = [CLI, 'serve', '--json', '--no-ui', '--port', '0', '--secret', options.secret, '--data-dir', options.dataDir, '--relay', options.relay];
  return startChild(args, { HOOKLENS_RELAY_TOKEN: options.token }, options.onLine, options.nice);
}

/** Subscribers that only read (bench/relay-swarm.ts), and sockets that never do; at the lowest priority, as startSubscriber's `nice`. */
export function startSwarm(options: { streamUrl: string; token: string; healthy: number; stalled: number; onLine: (line: Record<string, unknown>) => void }): Child {
  return startChild(['--import', 'tsx', join(__dirname, 'relay-swarm.ts'), options.streamUrl, String(options.healthy), String(options.stalled)], { SWARM_TOKEN: options.token }, options.onLine, true);
}

export function startBareServer(): Child {
  return startChild(['--import', 'tsx', BARE_SERVER]);
}

/** Hooklens's receiver with nothing stored, or committing to a store in `dataDir` without or with search indexing (see receiver-floor.ts). */
export function startReceiverFloor(secret: string, storing?: { store: 'rows' | 'indexed'; dataDir: string }): Child {
  return startChild(['--import', 'tsx', RECEIVER_FLOOR], { FLOOR_SECRET: secret, ...(storing ? { FLOOR_STORE: storing.store, FLOOR_DATA_DIR: storing.dataDir } : {}) });
}

/** A port that was free a moment ago (for cold-start polling, where we must know it before spawn). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Resident and peak resident set size of a live process, in KiB (Linux /proc). */
export function memoryKiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string): number => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: field('VmRSS'), peak: field('VmHWM') };
}

const TICK_MS = 1000 / 100; // USER_HZ, 100 on Linux

/** CPU time (user + system) a live process has used so far, in ms (Linux /proc). */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
}

/** CPU time the whole machine has spent busy (all cores, all processes, interrupts included), in ms. */
export function machineBusyMs(): number {
  const [, ...fields] = readFileSync('/proc/stat', 'utf8').split('\n')[0]?.trim().split(/\s+/) ?? [];
  const [user, nice, system, , , irq, softirq, steal] = fields.map(Number);
  return ((user ?? 0) + (nice ?? 0) + (system ?? 0) + (irq ?? 0) + (softirq ?? 0) + (steal ?? 0)) * TICK_MS;
}
