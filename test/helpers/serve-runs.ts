import { afterEach } from 'vitest';
import { runCli, type ServeProcess } from './cli';
import { tempDir } from './temp-dir';

/**
 * `hooklens serve` runs and data folders for one test file: each test's are killed and removed
 * after it, whatever it asserted.
 */
export function useServeRuns() {
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
    /** `serve --json --port 0 --no-ui` plus `args`. */
    serve(args: string[], env: NodeJS.ProcessEnv = {}): ServeProcess {
      const run = runCli(['serve', '--json', '--port', '0', '--no-ui', ...args], env);
      running.push(run);
      return run;
    },
  };
}
