import { runCliToEnd, type ServeProcess } from './cli';
import { useCliRuns } from './serve-runs';

export interface RelayReady {
  receiverUrl: string;
  streamUrl: string;
  db: string;
}

/** `hooklens relay` and `hooklens serve --relay` runs for one test file (see useCliRuns). */
export function useRelayRuns() {
  const runs = useCliRuns();
  const started = runs.start;

  return {
    dataDir: runs.dataDir,
    /** `relay --json --port 0 --data-dir D` plus `args`. */
    relay(dataDir: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): ServeProcess {
      return started(['relay', '--json', '--port', '0', '--data-dir', dataDir, ...args], env);
    },
    /** `serve --json --port 0 --no-ui --data-dir D --relay URL` plus `args` (the token in HOOKLENS_RELAY_TOKEN). */
    subscriber(dataDir: string, relayUrl: string, token: string, args: string[] = []): ServeProcess {
      return started(['serve', '--json', '--port', '0', '--no-ui', '--data-dir', dataDir, '--relay', relayUrl, ...args], { HOOKLENS_RELAY_TOKEN: token });
    },
    /** A new token, as `relay token add` prints it. */
    async token(dataDir: string, name: string): Promise<string> {
      const { code, lines, stderr } = await runCliToEnd(['relay', 'token', 'add', name, '--data-dir', dataDir]);
      if (code !== 0) throw new Error(`relay token add ${name} exited ${code}: ${stderr}`);
      return String(lines.at(-1)?.unparsed ?? '');
    },
  };
}

/** The ready line of a relay (or serve), or a failure with its own words if it exits first. */
export async function readyOf(run: ServeProcess): Promise<RelayReady> {
  const exited = run.exited.then(({ code }) => {
    throw new Error(`exited with ${code} before it was ready: ${run.stderr()}`);
  });
  return (await Promise.race([run.waitFor((line) => line.event === 'ready'), exited])) as unknown as RelayReady;
}
