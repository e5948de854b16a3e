import { afterEach } from 'vitest';
import { runCli, type ServeProcess } from './cli';
import { tempDir } from './temp-dir';

/**
 * Long-running `hooklens` runs (serve, relay) and data folders for one test file: each test's are
 * killed (SIGKILL) and removed after it, whatever it asserted.
 */
export function useCliRuns() {
  const dirs: ReturnType<typeof tempDir>[] = [];
  const running: ServeProcess[] = [];

  afterEach(async () => {
    for (const run of running.splice(0)) {
      if (run.proc.exitCode === null && run.proc.signalCode === null) {
        run.proc.kill('SIGKILL');
        await run.exited;
      }
    }
    for (const dir of dirs.splice(0)) dir.cleanup();
  });

  return {
    dataDir(): string {
      const dir = tempDir();
      dirs.push(dir);
      return dir.path;
    },
    /** `hooklens` with these arguments, killed after the test. */
    start(args: string[], env: NodeJS.ProcessEnv = {}): ServeProcess {
      const run = runCli(args, env);
      running.push(run);
      return run;
    },
  };
}

/** `hooklens serve` runs for one test file (see useCliRuns). */
export function useServeRuns() {
  const runs = useCliRuns();
  return {
    dataDir: runs.dataDir,
    /** `serve --json --port 0 --no-ui` plus `args`. */
    serve: (args: string[], env: NodeJS.ProcessEnv = {}): ServeProcess => runs.start(['serve', '--json', '--port', '0', '--no-ui', ...args], env),
  };
}
