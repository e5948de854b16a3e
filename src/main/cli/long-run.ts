import { ListenError } from '../util/listen-error';
import { problemLine } from '../util/problem-report';
import type { ListenerErrorReporter } from '../util/typed-emitter';
import type { BackgroundProblem } from '../../shared/background';
import { describeDataDirError, oneLine } from './cli-errors';
import type { runOutput } from './run-output';
import { watchStorage } from './storage-output';
import type { PruneResult, StorageStatus } from '../../shared/storage';
import { EXIT } from './usage-error';

type RunOutput = ReturnType<typeof runOutput>;

interface ReceivingEvents {
  prune: PruneResult;
  storage: StorageStatus;
  'storage-error': { reason: string };
  'storage-recovered': Record<string, never>;
}

/** What `serve` and `relay` both run: built on a data folder, started, and stopped on a signal. */
interface Receiving {
  on<K extends keyof ReceivingEvents>(event: K, listener: (payload: ReceivingEvents[K]) => void): unknown;
  getStorage(): StorageStatus;
  start(): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * The skeleton of a long-running command: `build` is given the reporters that print a failed
 * listener or background task; a data folder that cannot be opened, or a port that cannot be
 * listened on, is one sentence and a failed exit. `ready` prints the ready lines and may start
 * more (it returns what else to close at the stop, or a failed exit code).
 */
export async function runUntilStopped<T extends Receiving>(
  io: { stopRequested: Promise<string> },
  output: RunOutput,
  dataDir: string,
  build: (reporters: HostReporters) => T,
  ready: (running: T, storageLines: ReturnType<typeof watchStorage>) => Promise<(() => Promise<void>) | number>,
): Promise<number> {
  const { human, colour } = output;
  let running: T;
  try {
    running = build({
      reportListenerError: (error, event) => human(`hooklens: a listener of "${event}" failed: ${oneLine(error)}`),
      reportProblem: (task, problem) => human(colour(problem ? 'yellow' : 'green', problemLine(task, problem))),
    });
  } catch (error) {
    return failed(output, describeDataDirError(dataDir, error));
  }
  const storageLines = watchStorage(running, output);
  running.on('storage-error', ({ reason }) => human(colour('red', `hooklens: cannot save deliveries (${reason}); answering 503 so ReviewSense retries.`)));
  running.on('storage-recovered', () => human(colour('green', 'hooklens: saving deliveries again.')));

  try {
    await running.start();
  } catch (error) {
    await running.stop();
    return failed(output, error instanceof ListenError ? error.message : oneLine(error));
  }
  const closeAlso = await ready(running, storageLines);
  if (typeof closeAlso === 'number') {
    await running.stop();
    output.flush();
    return closeAlso;
  }

  const signal = await io.stopRequested;
  human(`hooklens: ${signal}, finishing in-flight deliveries…`);
  await closeAlso();
  await running.stop();
  output.flush();
  return EXIT.ok;
}

export interface HostReporters {
  reportListenerError: ListenerErrorReporter;
  reportProblem: (task: string, problem: BackgroundProblem | null) => void;
}

/** One sentence on stderr, then the exit code for a run that could not start. */
export function failed(output: RunOutput, sentence: string): number {
  output.human(`hooklens: ${sentence}`);
  output.flush();
  return EXIT.failed;
}
