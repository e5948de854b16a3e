import { resolve } from 'node:path';
import type { SimulationFaults, SimulationStatus } from '../../shared/simulation';
import { plural } from '../../shared/plural';
import { EVENT_TYPES, type EventType } from '../../shared/reviewsense/catalogue';
import { ApiInputError } from '../../shared/validate';
import { Inspector } from '../inspector/inspector';
import { defaultDataDir } from '../paths';
import { attemptOutput, type OutputIo } from './attempt-output';
import { checkTargetUsage, integer, OUTGOING_FLAGS, parseCommand, secretOptions } from './cli-options';
import { createLineWriter } from './line-writer';
import { EXIT, UsageError } from './usage-error';
import { tryWhen } from '../../shared/reviewsense/retry-schedule';

export const SIMULATE_USAGE = `Usage: hooklens simulate <event-type | delivery-id> --to URL --secret S [options]

Deliver an event the way ReviewSense does: after a non-2xx or a 10-s timeout, retry after 5 m,
30 m, 2 h, 6 h and 24 h; when the 5th retry fails too, the endpoint is marked inactive. One attempt
line per try, then the outcome. The simulation is kept in the database: if this process is killed,
the next \`hooklens serve\` (or the app) on the same data dir carries it on.

  --to URL             your handler (loopback only unless --allow-host)
  --secret S           signing secret (also HOOKLENS_SECRET or --secret-file F, preferred)
  --secret-file F      read the signing secret from a file
  --speed N            divide every delay by N (60: minutes become seconds; default 1, real time)
  --instant            no waiting between tries
  --fail-first N       a proxy in front of your app answers the first N tries with 500
  --slow-first N       a proxy holds your app's answer to the first N tries past 10 s
  --data-dir D         where hooklens.db lives (a delivery id is read from it; tries are stored)
  --allow-host H       let requests reach host H (not loopback); repeatable
  --json               one JSON line per try, then {"event":"simulation","outcome":…,"attempts":N}
  -h, --help           this help

Exit codes: 0 delivered, 1 the endpoint would be marked inactive (or the run was stopped), 2 bad usage.`;

function faultsOf(failFirst: string | undefined, slowFirst: string | undefined): SimulationFaults | null {
  if (failFirst !== undefined && slowFirst !== undefined) throw new UsageError('Pass either --fail-first or --slow-first, not both.');
  if (failFirst !== undefined) return { kind: 'error', first: integer('fail-first', failFirst, 0, 1, 6) };
  if (slowFirst !== undefined) return { kind: 'slow', first: integer('slow-first', slowFirst, 0, 1, 6) };
  return null;
}

function speedOf(speed: string | undefined, instant: boolean | undefined): number {
  if (instant && speed !== undefined) throw new UsageError('Pass either --speed or --instant, not both.');
  if (instant) return 0;
  if (speed === undefined) return 1;
  const value = Number(speed);
  if (!Number.isFinite(value) || value < 1 || value > 1_000_000) throw new UsageError(`--speed must be a number from 1 to 1000000, got "${speed}".`);
  return value;
}

export async function simulate(argv: string[], io: OutputIo): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    {
      ...OUTGOING_FLAGS,
      speed: { type: 'string' },
      instant: { type: 'boolean' },
      'fail-first': { type: 'string' },
      'slow-first': { type: 'string' },
      'data-dir': { type: 'string' },
    },
    true,
  );
  if (values.help) {
    io.stdout.write(`${SIMULATE_USAGE}\n`);
    return EXIT.ok;
  }
  const [source, ...extra] = positionals;
  const isType = (EVENT_TYPES as readonly string[]).includes(source ?? '');
  if (!source) throw new UsageError(`Give an event type (${EVENT_TYPES.join(', ')}) or the id of a captured delivery.`);
  if (!isType && !/^\d+$/.test(source)) throw new UsageError(`"${source}" is not an event type or a delivery id; give one of ${EVENT_TYPES.join(', ')}, or the id of a captured delivery (a whole number).`);
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);
  if (!values.to) throw new UsageError('--to URL is required: your handler.');
  checkTargetUsage('--to', values.to);
  const secrets = secretOptions(values, io.env);
  if (secrets.length === 0) throw new UsageError('simulate signs as ReviewSense does: pass HOOKLENS_SECRET, --secret-file F or --secret S.');
  const speed = speedOf(values.speed, values.instant);
  const faults = faultsOf(values['fail-first'], values['slow-first']);
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir(io.env));

  const inspector = new Inspector({ dataDir, runtimeSecrets: secrets, allowHosts: values['allow-host'] ?? [] });
  const out = attemptOutput(io, values.json ?? false);
  const stdout = createLineWriter(io.stdout);
  inspector.on('attempt', (attempt) => out.attempt(attempt));
  try {
    let started: SimulationStatus;
    try {
      started = inspector.startSimulation({
        deliveryId: isType ? null : Number(source),
        eventType: isType ? (source as EventType) : null,
        target: values.to,
        secretId: null,
        speed,
        faults,
      });
    } catch (error) {
      throw error instanceof ApiInputError ? new UsageError(error.message) : error;
    }
    // The simulator's timers do not keep a process alive (the app may quit mid-schedule); this run waits for its outcome.
    const keepAlive = setInterval(() => undefined, 60_000);
    const final = await new Promise<SimulationStatus>((done) => {
      inspector.on('simulation', (status) => {
        if (status.id === started.id && status.state !== 'running') done(status);
        else if (status.id === started.id && status.nextTryAt !== null && speed !== 0) {
          // Named by its place on the schedule: "+30 m" alone read as 30 minutes after the first try.
          out.note(`next: ${tryWhen(status.tries.length + 1)}, at ${new Date(status.nextTryAt).toLocaleTimeString()} (${status.tries.length} of 6 tries so far)`);
        }
      });
      // Ctrl+C ends this run; the simulation is marked cancelled rather than left running.
      process.once('SIGINT', () => inspector.cancelSimulation(started.id));
    });
    clearInterval(keepAlive);
    const outcome = final.state === 'delivered' ? 'delivered' : 'inactive';
    out.note(
      final.state === 'delivered'
        ? `delivered on try ${final.tries.length} of 6.`
        : final.state === 'cancelled'
          ? `stopped after ${plural(final.tries.length, 'try', 'tries')}.`
          : 'all 6 tries failed: ReviewSense would mark the endpoint inactive and deliver no further events.',
    );
    if (values.json) stdout.line(JSON.stringify({ event: 'simulation', outcome, attempts: final.tries.length }));
    return final.state === 'delivered' ? EXIT.ok : EXIT.failed;
  } finally {
    out.flush();
    stdout.flush();
    await inspector.stop();
  }
}
