import { join } from 'node:path';
import { version } from '../../../package.json';
import { createNgrokTunnel } from '../tunnel/ngrok-tunnel';
import { check, CHECK_USAGE } from './check';
import { exportCommand, EXPORT_USAGE } from './export';
import { importCommand, IMPORT_USAGE } from './import';
import { relay } from './relay';
import { RELAY_USAGE } from './relay-options';
import { relayToken } from './relay-token';
import { replay, REPLAY_USAGE } from './replay';
import { send, SEND_USAGE } from './send';
import { serve, type CliIo } from './serve';
import { simulate, SIMULATE_USAGE } from './simulate';
import { SERVE_USAGE } from './serve-options';
import { EXIT, UsageError } from './usage-error';

const USAGE = `Usage: hooklens <command> [options]

Commands:
  serve     capture, verify and store ReviewSense webhooks
  send      forge a signed (or deliberately broken) test event and POST it to your handler
  replay    send a captured delivery to your handler again, re-signed or as captured
  check     check that your handler verifies signatures, answers in time and takes redeliveries
  simulate  deliver as ReviewSense does, with its retry schedule (scaled or instant), against your handler
  export    write deliveries as json, ndjson, HAR, or test files that sign at run time (node --test, pytest)
  import    bring another Hooklens's export (json, ndjson, HAR) into this one
  relay     one always-on endpoint for a whole team; each developer's serve subscribes to it

Run "hooklens help <command>" (or "hooklens <command> --help") for its options.
Exit codes: 0 success, 1 failure, 2 bad usage.`;

/** Commands that run once and exit (serve and relay run until stopped). */
const ONE_SHOT = { send, replay, check, simulate, export: exportCommand, import: importCommand } as const;

const COMMAND_USAGE: Record<string, string> = { serve: SERVE_USAGE, relay: RELAY_USAGE, send: SEND_USAGE, replay: REPLAY_USAGE, check: CHECK_USAGE, simulate: SIMULATE_USAGE, export: EXPORT_USAGE, import: IMPORT_USAGE };

/** `hooklens help [command]`: the overview, or one command's options. */
function help(command: string | undefined): number {
  const usage = command === undefined ? USAGE : COMMAND_USAGE[command];
  if (!usage) throw new UsageError(`No command "${command}". Commands: ${Object.keys(COMMAND_USAGE).join(', ')}.`);
  process.stdout.write(`${usage}\n`);
  return EXIT.ok;
}

function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (reason: string) => {
      // A listener keeps the channel, and so the process, alive: let go of it once stopping.
      process.off('disconnect', parentGone);
      resolve(reason);
    };
    const onSignal = (signal: NodeJS.Signals) => {
      // A second signal means "now": the first one is already draining.
      process.once(signal, () => process.exit(130));
      stop(signal);
    };
    // Started with an IPC channel (npm start's browser UI): it closes when the parent dies, even of
    // SIGKILL, and nobody would be left to stop us.
    const parentGone = () => stop('parent process gone');
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    if (process.connected) process.once('disconnect', parentGone);
  });
}

/** What the CLI is given by its entry point: the parts a shell may not import itself. */
export interface CliParts {
  /** The browser shell behind `serve --ui`. */
  createUiServer: CliIo['createUiServer'];
}

export async function main(argv: string[], parts: CliParts): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'serve':
        return await serve(rest, {
          stdout: process.stdout,
          stderr: process.stderr,
          env: process.env,
          stopRequested: stopSignal(),
          rendererDir: join(__dirname, '..', 'renderer'),
          interactive: Boolean(process.stdin.isTTY && process.stdout.isTTY),
          tunnelFactory: (options) => createNgrokTunnel({ ...options, clientVersion: version }),
          createUiServer: parts.createUiServer,
        });
      case 'relay': {
        const io = { stdout: process.stdout, stderr: process.stderr, env: process.env };
        // Tokens are one-shot: only the relay itself waits for a stop signal.
        return rest[0] === 'token' ? await relayToken(rest.slice(1), io) : await relay(rest, { ...io, stopRequested: stopSignal() });
      }
      case 'send':
      case 'replay':
      case 'check':
      case 'simulate':
      case 'export':
      case 'import':
        return await ONE_SHOT[command](rest, { stdout: process.stdout, stderr: process.stderr, env: process.env });
      case '--version':
      case '-v':
        process.stdout.write(`${version}\n`);
        return EXIT.ok;
      case 'help':
        return help(rest[0]);
      case undefined:
      case '-h':
      case '--help':
        // Asked for: stdout, exit 0. Not given a command: bad usage, stderr, exit 2.
        (command === undefined ? process.stderr : process.stdout).write(`${USAGE}\n`);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default:
        throw new UsageError(`Unknown command "${command}". Run "hooklens --help".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`hooklens: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}
