import { createLineWriter } from './line-writer';
import { paint, type JsonLine } from './output';

/**
 * What a long-running command (serve, relay) prints: human lines on stderr (coloured at a terminal
 * unless NO_COLOR), and with --json one JSON object per line on stdout.
 */
export function runOutput(io: { stdout: NodeJS.WritableStream; stderr: NodeJS.WritableStream & { isTTY?: boolean }; env: NodeJS.ProcessEnv }, jsonLines: boolean) {
  const stderr = createLineWriter(io.stderr);
  const stdout = createLineWriter(io.stdout);
  return {
    human: (line: string): void => stderr.line(line),
    json: (line: JsonLine): void => {
      if (jsonLines) stdout.line(JSON.stringify(line));
    },
    colour: paint(Boolean(io.stderr.isTTY) && !io.env.NO_COLOR),
    /** Writes what is queued now (before exiting). */
    flush(): void {
      stdout.flush();
      stderr.flush();
    },
  };
}
