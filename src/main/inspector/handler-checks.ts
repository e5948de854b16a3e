import { randomUUID } from 'node:crypto';
import type { CheckProgress } from '../../shared/check';
import type { SimulationFaults, SimulationStatus } from '../../shared/simulation';
import type { EventType } from '../../shared/reviewsense/catalogue';
import { ApiInputError } from '../../shared/validate';
import { runCheck } from '../check/check-runner';
import { eventBody } from '../check/probes';
import { attemptRecord, unsavedAttempt, type SenderService } from '../sender/sender-service';
import type { SendOptions } from '../sender/http-send';
import { applySignature } from '../sender/signing';
import { createSimulator } from '../simulate/simulator';
import type { Store } from '../store/store';
import type { Supervisor } from '../util/supervisor';

export interface HandlerChecksOptions {
  store: Pick<Store, 'simulations' | 'attempts' | 'deliveries'>;
  sender: Pick<SenderService, 'deliver'>;
  send: SendOptions;
  clock: () => number;
  /** The signing secret by id (null: the current one), or null when there is none. */
  secret: (secretId: string | null) => string | null;
  /** The URL to use when none is given: Hooklens' own receiver. */
  defaultTarget: (target: string | null) => string;
  onCheck: (progress: CheckProgress) => void;
  onSimulation: (status: SimulationStatus) => void;
  supervisor: Supervisor;
}

export interface SimulationRequest {
  deliveryId?: number | null;
  eventType?: EventType | null;
  target: string | null;
  secretId: string | null;
  /** 1 is real time; 0 sends the retries at once. */
  speed: number;
  faults?: SimulationFaults | null;
}

/**
 * The handler's report card, from the app: the conformance check (runs in the background,
 * progress pushed as `check` events, cancellable) and retry simulations (`simulation` events).
 */
export function createHandlerChecks(options: HandlerChecksOptions) {
  const running = new Map<string, { controller: AbortController; target: string }>();
  const simulator = createSimulator({
    simulations: options.store.simulations,
    attempts: options.store.attempts,
    sender: options.sender,
    send: options.send,
    clock: options.clock,
    onChange: options.onSimulation,
    supervisor: options.supervisor,
  });

  function needSecret(secretId: string | null): string {
    const secret = options.secret(secretId);
    if (secret === null) throw new ApiInputError('This needs a signing secret: add the one your handler verifies with in Settings.');
    return secret;
  }

  function startCheck(request: { target: string; secretId: string | null; countUrl: string | null }): { runId: string } {
    const secret = needSecret(request.secretId);
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
      .catch((error: unknown) => {
        // A cancelled run already said so.
        if (!controller.signal.aborted) options.onCheck({ ...base, done: 0, total: 0, error: (error as Error).message });
      })
      .finally(() => running.delete(runId));
    return { runId };
  }

  function startSimulation(request: SimulationRequest): SimulationStatus {
    const secret = needSecret(request.secretId);
    let body: Buffer;
    let headers: [string, string][] = [['Content-Type', 'application/json']];
    let eventType: string | null = request.eventType ?? 'webhook.test';
    if (request.deliveryId) {
      // Its exact bytes, headers included; the simulation keeps its own copy, so it outlives the delivery.
      const captured = options.store.deliveries.request(request.deliveryId);
      if (!captured) throw new ApiInputError(`Delivery #${request.deliveryId} does not exist or has no stored body.`);
      body = captured.body;
      headers = captured.headers;
      eventType = request.eventType ?? options.store.deliveries.summary(request.deliveryId)?.eventType ?? null;
    } else {
      body = eventBody(request.eventType ?? 'webhook.test');
    }
    const signed = applySignature('valid', secret, headers, body);
    return simulator.start({
      deliveryId: request.deliveryId ?? null,
      eventType,
      target: options.defaultTarget(request.target),
      headers: signed.headers,
      body: signed.body,
      speed: request.speed,
      faults: request.faults ?? null,
    });
  }

  return {
    startCheck,
    cancelCheck(runId: string): boolean {
      const run = running.get(runId);
      run?.controller.abort();
      if (run) options.onCheck({ runId, target: run.target, done: 0, total: 0, probe: null, report: null, error: 'The check was cancelled.' });
      return run !== undefined;
    },
    startSimulation,
    simulator,
  };
}

export type HandlerChecks = ReturnType<typeof createHandlerChecks>;
