import type { FastifyPluginCallback } from 'fastify';
import type { ReceiverInfo } from '../../shared/api';
import type { DeliverySummary } from '../../shared/delivery';
import { ApiInputError, capturePathProblem, checkWith } from '../../shared/validate';
import { responseConfigSchema, type ResponseConfig } from '../../shared/response-config';
import type { SigningSecret } from '../profile/signature';
import { createReceiverServer, type ReceiverServer, type ReceiverTimeouts } from '../receiver/receiver-server';
import type { CapturedRequest, ForwardPlan, MirrorAnswer } from '../sender/forwarder';
import type { NewDelivery } from '../store/deliveries-repository';
import { StorageUnavailableError } from '../store/delivery-writer';
import type { Store } from '../store/store';

export interface ReceiverConfig {
  host: string;
  port: number;
  path: string;
  bodyLimit: number;
  /** Memory and connection bounds (defaults in receiver-server.ts). */
  inFlightBudget?: number;
  maxConnections?: number;
}

export const DEFAULT_RECEIVER: ReceiverConfig = { host: '127.0.0.1', port: 8787, path: '/hooks/reviewsense', bodyLimit: 5 * 1024 * 1024 };

export interface ReceiverServiceOptions {
  config: ReceiverConfig;
  response: ResponseConfig;
  store: Pick<Store, 'writeDelivery' | 'settings' | 'deliveries'>;
  clock: () => number;
  secrets: () => readonly SigningSecret[];
  timeouts?: Partial<ReceiverTimeouts>;
  /** A delivery was committed. Runs after the commit; whatever it does, the sender's answer stands. */
  onDelivery: (delivery: DeliverySummary) => void;
  /** A delivery's summary changed after it was pushed (mirror mode: the answer really sent). */
  onDeliveryUpdated: (delivery: DeliverySummary) => void;
  /** Queue a forward with each delivery, mirror it, or neither (the forwarder's plan). */
  forwardPlan: () => ForwardPlan;
  /** Mirror mode's answer (the forwarder's), or null to answer as configured. */
  mirror?: (delivery: DeliverySummary, captured: CapturedRequest) => Promise<MirrorAnswer | null>;
  /** Storage started refusing writes (a reason) or recovered (null). */
  onStorageHealth: (reason: string | null) => void;
  /** Settings moved the receiver (a tunnel follows it; a forward queue paused on its port may go). */
  onMoved?: () => void;
  /** Routes served beside capture on the same port (the relay's stream). */
  routes?: FastifyPluginCallback;
}

/**
 * The receiver as a service: where it listens (moved with rollback), how it answers, and whether
 * storage takes deliveries. It persists each delivery before the receiver may answer.
 */
export function createReceiverService(options: ReceiverServiceOptions) {
  const { store, clock } = options;
  let config = options.config;
  let response = parseResponse(options.response);
  let server: ReceiverServer | null = null;
  let boundPort: number | null = null;
  let storageError: string | null = null;

  async function record(delivery: NewDelivery): Promise<DeliverySummary> {
    let summary: DeliverySummary;
    try {
      summary = await store.writeDelivery(delivery);
    } catch (error) {
      if (error instanceof StorageUnavailableError && storageError === null) {
        storageError = error.reason;
        options.onStorageHealth(error.reason);
      }
      throw error;
    }
    // The delivery first: a status pushed on recovery already counts it.
    options.onDelivery(delivery.answerPending ? Object.assign({}, summary, { answerPending: true }) : summary);
    if (storageError !== null) {
      storageError = null;
      options.onStorageHealth(null);
    }
    return summary;
  }

  /** A mirrored delivery's real answer: recorded, and pushed so every screen and line shows it. */
  function answered(delivery: DeliverySummary, status: number): void {
    bestEffort(() => store.deliveries.recordAnswer(delivery.id, status));
    let updated: DeliverySummary | null = null;
    bestEffort(() => {
      updated = store.deliveries.summary(delivery.id);
    });
    // Storage busy: what was committed, with the answer that was sent.
    options.onDeliveryUpdated(Object.assign({}, updated ?? delivery, { responseStatus: status, answerPending: false }));
  }

  async function startNow(): Promise<void> {
    if (server) return;
    // The router would read ":", "*" or "(" as syntax (or throw while registering the route).
    const pathProblem = capturePathProblem(config.path);
    if (pathProblem) throw new ApiInputError(`The capture path ${pathProblem}, got "${config.path}".`);
    const candidate = createReceiverServer({
      path: config.path,
      bodyLimit: config.bodyLimit,
      inFlightBudget: config.inFlightBudget,
      maxConnections: config.maxConnections,
      clock,
      secrets: options.secrets,
      response: () => response,
      record,
      answerLost: (id, reason) => bestEffort(() => store.deliveries.markAnswerLost(id, reason)),
      answered,
      forwardPlan: options.forwardPlan,
      mirror: options.mirror,
      timeouts: options.timeouts,
      routes: options.routes,
    });
    const address = await candidate.listen(config.host, config.port);
    server = candidate;
    boundPort = address.port;
  }

  async function stopNow(): Promise<void> {
    const running = server;
    server = null;
    boundPort = null;
    if (running) await running.close();
  }

  /** Moves the receiver; on failure the previous address is restored and the error rethrown. */
  async function moveNow(change: { port: number; path: string }): Promise<void> {
    const previous = { ...config, port: boundPort ?? config.port };
    await stopNow();
    config = { ...config, ...change };
    try {
      await startNow();
    } catch (error) {
      config = previous;
      try {
        await startNow();
      } catch (rollback) {
        throw new Error(`${(error as Error).message} The previous address could not be taken back either: ${(rollback as Error).message}`, { cause: error });
      }
      throw error;
    }
  }

  /** Moves the receiver and remembers the address for the desktop app's next start. */
  async function setReceiverNow(change: { port: number; path: string }): Promise<ReceiverInfo> {
    await moveNow(change);
    store.settings.put('receiver', change);
    options.onMoved?.();
    return info();
  }

  /**
   * Start, stop and move run one at a time, in the order asked: two Saves at once (a double
   * click) must not leave a second server listening, nor answer one with the other's address.
   */
  let turn: Promise<unknown> = Promise.resolve();
  function oneAtATime<A extends unknown[], R>(work: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return (...args) => {
      const run = turn.then(() => work(...args));
      turn = run.catch(() => undefined);
      return run;
    };
  }
  const start = oneAtATime(startNow);
  const stop = oneAtATime(stopNow);
  const move = oneAtATime(moveNow);
  const setReceiver = oneAtATime(setReceiverNow);

  /**
   * Starts at the address saved in Settings when there is one, falling back to the configured one
   * (with the reason) when it cannot be used. Throws only when capture cannot start at all.
   */
  async function startAt(saved: { port: number; path: string } | undefined): Promise<{ savedAddressProblem: string | null }> {
    if (!saved) {
      await start();
      return { savedAddressProblem: null };
    }
    try {
      // On failure, move() falls back to the configured address, or throws if that fails too.
      await move(saved);
      return { savedAddressProblem: null };
    } catch (error) {
      if (url() === null) throw error;
      return { savedAddressProblem: (error as Error).message.split('\n')[0] ?? String(error) };
    }
  }

  function url(): string | null {
    if (boundPort === null) return null;
    const shown = loopbackFor(config.host);
    return `http://${shown.includes(':') ? `[${shown}]` : shown}:${boundPort}${config.path}`;
  }

  function info(): ReceiverInfo {
    const { host, path, bodyLimit } = config;
    return { url: url(), host, port: boundPort, path, bodyLimit };
  }

  function setResponse(next: ResponseConfig): ResponseConfig {
    response = parseResponse(next);
    store.settings.put('response', response);
    return response;
  }

  return {
    start,
    startAt,
    stop,
    move,
    /** Commits a delivery received elsewhere (a relay's stream) as this receiver's own: events, storage health. */
    record,
    url,
    info,
    calls: { setReceiver, setResponse, getResponse: (): ResponseConfig => response },
    /** Where the tunnel should forward to: this machine's address of the receiver port. */
    target: () => (boundPort === null ? null : { host: loopbackFor(config.host), port: boundPort }),
    path: () => config.path,
    storageError: () => storageError,
  };
}

export type ReceiverService = ReturnType<typeof createReceiverService>;

/** A note added after the answer: the delivery itself is stored either way. */
function bestEffort(write: () => void): void {
  try {
    write();
  } catch {
    // Storage refused the note (busy, full); the row keeps what was committed.
  }
}

function parseResponse(config: ResponseConfig): ResponseConfig {
  return checkWith(responseConfigSchema, config, 'response');
}

/** A wildcard bind address is reached on this machine through loopback. */
function loopbackFor(host: string): string {
  return host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
}
