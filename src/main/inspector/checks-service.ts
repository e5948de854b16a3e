import { randomUUID } from 'node:crypto';
import type { CheckProgress } from '../../shared/check';
import { ApiInputError } from '../../shared/validate';
import { runCheck } from '../check/check-runner';
import { attemptRecord, unsavedAttempt } from '../sender/sender-service';
import type { SendOptions } from '../sender/http-send';
import type { Signer } from './signer';

/**
 * Check my endpoint, from the app: the conformance check runs in the background, its probes
 * pushed as `check` events as they finish, and can be cancelled. Its requests are not stored.
 */
export function createChecksService(options: { send: SendOptions; signer: Signer; onCheck: (progress: CheckProgress) => void }) {
  const running = new Map<string, { controller: AbortController; target: string }>();

  function startCheck(request: { target: string; secretId: string | null; countUrl: string | null }): { runId: string } {
    const secret = options.signer.value(request.secretId);
    if (secret === null) throw new ApiInputError('This needs a signing secret: add the one your handler verifies with in Settings.');
    const runId = randomUUID();
    const controller = new AbortController();
    running.set(runId, { controller, target: request.target });
    const base = { runId, target: request.target, probe: null, report: null, error: null };
    void runCheck({
      target: request.target,
      secret,
      countUrl: request.countUrl,
      send: options.send,
      signal: controller.signal,
      record: (sent, answer) => unsavedAttempt(attemptRecord({ kind: 'check', deliveryId: null }, sent, answer)),
      onProbe: (probe, done, total) => {
        if (!controller.signal.aborted) options.onCheck({ ...base, done, total, probe });
      },
    })
      .then((report) => options.onCheck({ ...base, done: report.probes.length, total: report.probes.length, report }))
      // Never unhandled: a failed run is reported as the run's error (a cancelled one already said so).
      .catch((error: unknown) => {
        if (!controller.signal.aborted) options.onCheck({ ...base, done: 0, total: 0, error: (error as Error).message });
      })
      .finally(() => running.delete(runId));
    return { runId };
  }

  return {
    calls: {
      startCheck,
      cancelCheck(runId: string): boolean {
        const run = running.get(runId);
        run?.controller.abort();
        if (run) options.onCheck({ runId, target: run.target, done: 0, total: 0, probe: null, report: null, error: 'The check was cancelled.' });
        return run !== undefined;
      },
    },
  };
}

export type ChecksService = ReturnType<typeof createChecksService>;
