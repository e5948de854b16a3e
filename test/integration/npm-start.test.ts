import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleEvent } from '../../src/main/profile/samples';
import { runCli } from '../helpers/cli';
import { post } from '../helpers/http';
import { processTree, stillRunning, type ProcessRow } from '../helpers/process-tree';
import { tempDir } from '../helpers/temp-dir';

// `npm start` as an IDE or a process manager runs it: npm → sh -c → node scripts/start.mjs → node
// bin/hooklens.js serve --ui (no DISPLAY in this environment, so the browser UI). Free ports, and
// no build: other test files run the built CLI from out/ meanwhile.
const started: { tree: ProcessRow[]; cleanup: () => void }[] = [];

afterEach(() => {
  for (const { tree, cleanup } of started.splice(0)) {
    for (const pid of stillRunning(tree.map((row) => row.pid))) process.kill(pid, 'SIGKILL');
    cleanup();
  }
});

/**
 * `npm start`, or with `inTerminal` the same in a terminal of its own (util-linux `script`), where
 * ^C makes the kernel send SIGINT to every process in it.
 */
async function npmStart({ inTerminal = false, serveOptions = [] as string[] } = {}) {
  const data = tempDir();
  const args = ['start', '--', '--port', '0', '--ui-port', '0', '--json', ...serveOptions];
  const env = { HOOKLENS_DATA_DIR: data.path, HOOKLENS_SKIP_BUILD: '1', CI: '1' };
  const run = inTerminal ? runCli([], env, ['script', '-qfec', ['npm', ...args].join(' '), '/dev/null']) : runCli(args, env, ['npm']);
  const entry = { tree: [] as ProcessRow[], cleanup: data.cleanup };
  started.push(entry);
  const ready = await run.waitFor((line) => line.event === 'ready', 30_000);
  const receiverUrl = ready.receiverUrl as string;
  entry.tree = processTree(run.proc.pid as number);
  const ports = [receiverUrl, ready.uiUrl as string].map((url) => Number(new URL(url).port));
  return { run, tree: entry.tree, ports, receiverUrl };
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.on('connect', () => (socket.destroy(), resolve(true)));
    socket.on('error', () => resolve(false));
  });
}

/** What is left of a run: processes still running and ports still taken. */
async function leftOver(tree: ProcessRow[], ports: number[]) {
  const running = stillRunning(tree.map((row) => row.pid));
  return {
    running: tree.filter((row) => running.includes(row.pid)).map((row) => row.command),
    listening: (await Promise.all(ports.map(async (port) => ((await listening(port)) ? port : null)))).filter((port) => port !== null),
  };
}

const gone = { running: [], listening: [] };

describe('npm start', () => {
  it.each(['SIGTERM', 'SIGHUP', 'SIGKILL'] as const)('stops every process it started and frees both ports when npm gets %s', async (signal) => {
    const { run, tree, ports, receiverUrl } = await npmStart();
    expect(tree.map((row) => row.command)).toEqual(expect.arrayContaining([expect.stringContaining('scripts/start.mjs'), expect.stringContaining('hooklens.js serve')]));
    expect((await post(receiverUrl, JSON.stringify(sampleEvent('webhook.test')))).status).toBe(200);

    run.proc.kill(signal);
    await expect.poll(() => leftOver(tree, ports), { timeout: 10_000, interval: 200 }).toEqual(gone);
    // Stopped, not killed: in-flight deliveries finished and the WAL checkpointed.
    expect(run.stderr()).toContain('hooklens: SIGTERM, finishing in-flight deliveries…');
  });

  it('stops hooklens serve, which notices, when scripts/start.mjs is killed with SIGKILL', async () => {
    const { run, tree, ports } = await npmStart();
    const serve = tree.find((row) => row.command.includes('hooklens.js serve')) as ProcessRow;

    process.kill(serve.ppid, 'SIGKILL');
    await expect.poll(() => leftOver(tree, ports), { timeout: 10_000, interval: 200 }).toEqual(gone);
    expect(run.stderr()).toContain('hooklens: parent process gone, finishing in-flight deliveries…');
  });

  it('passes Ctrl+C in a terminal on once: hooklens serve answers the delivery in flight, then everything exits', async () => {
    // A second SIGINT would make serve exit at once, resetting the delivery it holds for --delay.
    const { run, tree, ports, receiverUrl } = await npmStart({ inTerminal: true, serveOptions: ['--delay', '1500'] });
    const inFlight = post(receiverUrl, JSON.stringify(sampleEvent('webhook.test')));
    await run.waitFor((line) => line.event === 'delivery');

    run.proc.stdin.write('\x03');
    expect((await inFlight).status).toBe(200);
    await expect.poll(() => leftOver(tree, ports), { timeout: 10_000, interval: 200 }).toEqual(gone);
    // The terminal shows stdout and stderr as one.
    expect(run.lines.map((line) => line.unparsed).join('\n')).toContain('hooklens: SIGINT, finishing in-flight deliveries…');
  });
});
