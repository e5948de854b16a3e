import type { Attempt } from '../../shared/attempt';
import { createLineWriter } from './line-writer';
import { attemptLine, humanAttemptLine, paint } from './output';

export interface OutputIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

/** How `send` and `replay` report each request: a JSON line (--json) and a readable line. */
export function attemptOutput(io: OutputIo, json: boolean) {
  const stdout = createLineWriter(io.stdout);
  const stderr = createLineWriter(io.stderr);
  const colour = paint(Boolean(io.stderr.isTTY) && !io.env.NO_COLOR);
  return {
    attempt(attempt: Attempt): void {
      if (json) stdout.line(JSON.stringify(attemptLine(attempt)));
      stderr.line(humanAttemptLine(attempt, colour));
    },
    note(text: string): void {
      stderr.line(`hooklens: ${text}`);
    },
    flush(): void {
      stdout.flush();
      stderr.flush();
    },
  };
}
