import type { BackgroundProblem } from '../../shared/background';
import { systemErrorReason } from './system-errors';

export interface SupervisorOptions {
  clock?: () => number;
  /** A task started failing (reported once until it works again), or recovered (`problem` null). */
  onProblem: (task: string, problem: BackgroundProblem | null) => void;
}

export interface BackoffOptions {
  firstMs: number;
  maxMs: number;
}

/** Doubling waits between tries of something that keeps failing; reset when it works. */
export function createBackoff({ firstMs, maxMs }: BackoffOptions) {
  let current = 0;
  return {
    /** The wait before the next try (firstMs, then twice the last, up to maxMs). */
    next(): number {
      current = current === 0 ? firstMs : Math.min(current * 2, maxMs);
      return current;
    },
    reset(): void {
      current = 0;
    },
  };
}

/** One sentence from whatever was thrown ("the disk is full (ENOSPC)" for a system error). */
export function describeFailure(error: unknown): string {
  const reason = systemErrorReason(error);
  if (reason !== null) return reason;
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]?.trim() || 'unknown error';
}

/**
 * The one way the core runs work nobody awaits: timers, streams, queue drains, indexing,
 * simulations. Every failure is caught and reported once (until the task works again), and the
 * task decides whether to back off or stop; nothing ends as an unhandled rejection or an
 * unhandled stream 'error', which would end the process and capture with it.
 */
export function createSupervisor(options: SupervisorOptions) {
  const clock = options.clock ?? Date.now;
  const failing = new Map<string, BackgroundProblem>();
  let closed = false;

  function safeReport(task: string, problem: BackgroundProblem | null): void {
    try {
      options.onProblem(task, problem);
    } catch {
      // A reporter that throws must not turn a handled failure into an unhandled one.
    }
  }

  /** Records a failure of `task`; reported the first time, or when the message changes. */
  function failed(task: string, error: unknown, retryAt: number | null = null): void {
    const message = describeFailure(error);
    const known = failing.get(task);
    const problem: BackgroundProblem = { task, message, since: known?.since ?? clock(), retryAt };
    failing.set(task, problem);
    if (closed || (known && known.message === message && (known.retryAt === null) === (retryAt === null))) return;
    safeReport(task, problem);
  }

  /** `task` worked: a failure reported earlier is cleared. */
  function recovered(task: string): void {
    if (!failing.delete(task) || closed) return;
    safeReport(task, null);
  }

  /** Runs `work` now; a throw or rejection is reported, never rethrown. Resolves with its result or undefined. */
  async function run<T>(task: string, work: () => T | Promise<T>): Promise<T | undefined> {
    try {
      const result = await work();
      recovered(task);
      return result;
    } catch (error) {
      failed(task, error);
      return undefined;
    }
  }

  /**
   * Runs `work` every `everyMs`; after a failure the next try waits longer (doubling, up to
   * `backoff.maxMs`), and a success brings the period back. Timers never keep the process alive.
   */
  function every(task: string, everyMs: number, work: () => unknown, backoff: BackoffOptions = { firstMs: everyMs, maxMs: everyMs * 16 }) {
    const waits = createBackoff(backoff);
    let timer: NodeJS.Timeout | null = null;
    let stopped = false;
    const tick = async (): Promise<void> => {
      timer = null;
      let wait = everyMs;
      try {
        await work();
        waits.reset();
        recovered(task);
      } catch (error) {
        wait = Math.max(everyMs, waits.next());
        failed(task, error, clock() + wait);
      }
      if (!stopped) arm(wait);
    };
    const arm = (wait: number): void => {
      timer = setTimeout(() => void tick(), wait);
      timer.unref();
    };
    arm(everyMs);
    return {
      stop(): void {
        stopped = true;
        if (timer !== null) clearTimeout(timer);
        timer = null;
      },
    };
  }

  /** A stream whose 'error' is reported instead of ending the process; `onError` lets its owner clean up. */
  function watch<S extends NodeJS.EventEmitter>(task: string, stream: S, onError?: (error: Error) => void): S {
    stream.on('error', (error: Error) => {
      failed(task, error);
      try {
        onError?.(error);
      } catch (cleanup) {
        failed(task, cleanup);
      }
    });
    return stream;
  }

  return {
    run,
    every,
    watch,
    failed,
    recovered,
    /** What is failing now, oldest first. */
    problems: (): BackgroundProblem[] => [...failing.values()],
    /** No more reports (the Inspector is stopping); tasks still settle quietly. */
    close(): void {
      closed = true;
    },
  };
}

export type Supervisor = ReturnType<typeof createSupervisor>;
