import type { SimulationFaults, SimulationStatus } from '../../shared/simulation';
import type { EventType } from '../../shared/reviewsense/catalogue';
import { ApiInputError } from '../../shared/validate';
import { eventBody } from '../check/probes';
import type { SendOptions } from '../sender/http-send';
import type { SenderService } from '../sender/sender-service';
import { applySignature } from '../sender/signing';
import { createSimulator } from '../simulate/simulator';
import type { Store } from '../store/store';
import type { Supervisor } from '../util/supervisor';
import type { Signer } from './signer';
import type { Targets } from './targets';

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
 * ReviewSense's retry schedule against your app, from a delivery or a fresh event: kept on disk,
 * so a simulation still running when Hooklens stops goes on at the next start.
 */
export function createSimulationsService(options: {
  store: Pick<Store, 'simulations' | 'attempts' | 'deliveries'>;
  sender: Pick<SenderService, 'deliver'>;
  /** For the fault proxy's own requests to your app. */
  send: SendOptions;
  signer: Signer;
  targets: Targets;
  clock: () => number;
  supervisor: Supervisor;
  onSimulation: (status: SimulationStatus) => void;
}) {
  const simulator = createSimulator({
    simulations: options.store.simulations,
    attempts: options.store.attempts,
    sender: options.sender,
    send: options.send,
    clock: options.clock,
    onChange: options.onSimulation,
    supervisor: options.supervisor,
  });

  function startSimulation(request: SimulationRequest): SimulationStatus {
    const secret = options.signer.value(request.secretId);
    if (secret === null) throw new ApiInputError('This needs a signing secret: add the one your handler verifies with in Settings.');
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
      target: options.targets.resolve(request.target),
      headers: signed.headers,
      body: signed.body,
      speed: request.speed,
      faults: request.faults ?? null,
    });
  }

  return {
    simulator,
    calls: {
      startSimulation,
      listSimulations: (): SimulationStatus[] => simulator.list(),
      cancelSimulation: (id: number): SimulationStatus | null => simulator.cancel(id),
    },
  };
}

export type SimulationsService = ReturnType<typeof createSimulationsService>;
