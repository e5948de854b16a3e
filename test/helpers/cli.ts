import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export const BIN = join(__dirname, '..', '..', 'bin', 'hooklens.js');

export interface ServeProcess {
  proc: ChildProcessWithoutNullStreams;
  /** Parsed JSON lines from stdout, in order. */
  lines: Record<string, unknown>[];
  stderr: () => string;
  /** Resolves with the first line matching, or rejects after `ms`. */
  waitFor: (predicate: (line: Record<string, unknown>) => boolean, ms?: number) => Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs the built `hooklens` CLI as a user would (`command`: another way to start it, e.g. an installed bin). */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}, command: [string, ...string[]] = [process.execPath, BIN]): ServeProcess {
  const proc = spawn(command[0], [...command.slice(1), ...args], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOOKLENS_COMPILE_CACHE: process.env.HOOKLENS_COMPILE_CACHE, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  const waiters: { predicate: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }[] = [];
  createInterface({ input: proc.stdout }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      line = { unparsed: text };
    }
    lines.push(line);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(line)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(line);
      }
    }
  });
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    lines,
    stderr: () => stderr,
    exited,
    waitFor(predicate, ms = 15_000) {
      const found = lines.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching line within ${ms} ms; stdout: ${JSON.stringify(lines)}; stderr: ${stderr}`)), ms);
        waiters.push({ predicate, resolve: (line) => (clearTimeout(timer), resolve(line)) });
      });
    },
  };
}

/** Runs the CLI to completion. */
export async function runCliToEnd(args: string[], env: NodeJS.ProcessEnv = {}) {
  const run = runCli(args, env);
  run.proc.stdin.end();
  const { code } = await run.exited;
  return { code, stderr: run.stderr(), lines: run.lines };
}
