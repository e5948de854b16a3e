import type { SimulationFaults, SimulationState, SimulationStatus, SimulationTry } from '../../shared/simulation';
import { MAX_RETRIES, RETRY_SCHEDULE } from '../../shared/reviewsense/retry-schedule';
import type { SenderService } from '../sender/sender-service';
import type { SendOptions } from '../sender/http-send';
import type { AttemptsRepository } from '../store/attempts-repository';
import type { SimulationsRepository, StoredSimulation } from '../store/simulations-repository';
import { createBackoff, describeFailure, type Supervisor } from '../util/supervisor';
import { startFaultProxy } from './fault-proxy';

/** The schedule's wait before each try (`nextLabel`); screens and lines word a try with tryWhen. */
const LABELS = ['now', '+5 m', '+30 m', '+2 h', '+6 h', '+24 h'];
/** The first try and the five retries: the sixth failure makes the endpoint inactive. */
const MAX_TRIES = 1 + MAX_RETRIES;

/** What a new simulation is given: the signed request, where it goes, how fast, which faults. */
export type NewSimulation = Omit<StoredSimulation, 'id' | 'createdAt' | 'state' | 'tries' | 'nextTryAt'>;

export interface SimulatorOptions {
  simulations: SimulationsRepository;
  attempts: Pick<AttemptsRepository, 'ofSimulation'>;
  sender: Pick<SenderService, 'deliver'>;
  /** For the fault proxy's own requests to your app. */
  send: SendOptions;
  clock?: () => number;
  onChange: (status: SimulationStatus) => void;
  /** Reports a try that storage refused (locked, full); the simulation waits and tries again. */
  supervisor: Pick<Supervisor, 'failed' | 'recovered' | 'run'>;
}

const taskOf = (id: number): string => `simulation #${id}`;

/** How long to wait after failed try `tries` (1-based) before the next one, at this speed. */
export function retryDelay(tries: number, speed: number): number {
  const step = RETRY_SCHEDULE[tries - 1];
  if (!step || speed === 0) return 0;
  return Math.round(step.delayMs / speed);
}

/**
 * ReviewSense's delivery, simulated against your app: a try now, and after each non-2xx or
 * 10-s timeout the next retry on the schedule (5 m, 30 m, 2 h, 6 h, 24 h, divided by the speed),
 * until one is delivered or the 5th retry fails and the endpoint is marked inactive. Progress is
 * on disk, so a simulation still running when Hooklens stops goes on at the next start.
 */
export function createSimulator(options: SimulatorOptions) {
  const clock = options.clock ?? Date.now;
  const timers = new Map<number, NodeJS.Timeout>();
  const proxies = new Map<number, Awaited<ReturnType<typeof startFaultProxy>>>();
  const busy = new Set<number>();
  /** A try whose answer is known but not yet recorded (storage refused it): recorded on the retry, not sent again. */
  const settling = new Map<number, { tries: number; delivered: boolean }>();
  const waits = new Map<number, ReturnType<typeof createBackoff>>();
  let stopped = false;

  function status(simulation: StoredSimulation): SimulationStatus {
    const tries: SimulationTry[] = options.attempts.ofSimulation(simulation.id).map((attempt, index) => ({
      number: index + 1,
      at: attempt.startedAt,
      status: attempt.status,
      durationMs: attempt.durationMs,
      error: attempt.error,
      delivered: attempt.delivered,
      verdict: attempt.verdict,
      injected: simulation.faults !== null && index + 1 <= simulation.faults.first,
    }));
    const running = simulation.state === 'running';
    return {
      id: simulation.id,
      createdAt: simulation.createdAt,
      deliveryId: simulation.deliveryId,
      eventType: simulation.eventType,
      target: simulation.target,
      speed: simulation.speed,
      faults: simulation.faults,
      state: simulation.state,
      tries,
      nextTryAt: running ? simulation.nextTryAt : null,
      nextLabel: running ? (LABELS[simulation.tries] ?? null) : null,
    };
  }

  function changed(id: number): SimulationStatus | null {
    const simulation = options.simulations.get(id);
    if (!simulation) return null;
    const current = status(simulation);
    options.onChange(current);
    return current;
  }

  function arm(id: number, wait: number): void {
    const timer = setTimeout(() => {
      timers.delete(id);
      void runTry(id);
    }, wait);
    timer.unref();
    timers.set(id, timer);
  }

  function schedule(simulation: StoredSimulation): void {
    if (simulation.state !== 'running' || timers.has(simulation.id)) return;
    arm(simulation.id, Math.max(0, (simulation.nextTryAt ?? clock()) - clock()));
  }

  /** One step of a simulation, supervised: a failure (SQLITE_BUSY beside `hooklens import`) is said once and retried later. */
  async function runTry(id: number): Promise<void> {
    try {
      await tryOnce(id);
      waits.get(id)?.reset();
      options.supervisor.recovered(taskOf(id));
    } catch (error) {
      if (stopped) return;
      const backoff = waits.get(id) ?? createBackoff({ firstMs: 1_000, maxMs: 60_000 });
      waits.set(id, backoff);
      const wait = backoff.next();
      options.supervisor.failed(taskOf(id), error, clock() + wait);
      arm(id, wait);
    }
  }

  async function proxyFor(simulation: StoredSimulation) {
    if (!simulation.faults) return null;
    let proxy = proxies.get(simulation.id);
    if (!proxy) {
      proxy = await startFaultProxy(simulation.target, simulation.faults, () => options.simulations.get(simulation.id)?.tries ?? 0, options.send);
      proxies.set(simulation.id, proxy);
    }
    return proxy;
  }

  /** Records the end; the fault proxy is closed in the background. */
  function finish(id: number, state: SimulationState, tries: number): void {
    options.simulations.progress(id, state, tries, null);
    waits.delete(id);
    const proxy = proxies.get(id);
    proxies.delete(id);
    if (proxy) {
      void options.supervisor.run(taskOf(id), async () => {
        proxy.server.closeAllConnections();
        await proxy.close();
      });
    }
  }

  async function tryOnce(id: number): Promise<void> {
    if (stopped) return;
    const simulation = options.simulations.get(id);
    if (!simulation || simulation.state !== 'running' || busy.has(id)) return;
    busy.add(id);
    try {
      let outcome = settling.get(id);
      if (!outcome) {
        const tries = simulation.tries + 1;
        // Counted before sending, so the fault proxy knows which try it is answering.
        options.simulations.progress(id, 'running', tries, null);
        const proxy = await proxyFor(simulation);
        const { attempt } = await options.sender.deliver(
          { target: simulation.target, method: 'POST', headers: simulation.headers, body: simulation.body },
          { kind: 'simulate', deliveryId: simulation.deliveryId, simulationId: id, failuresBefore: tries - 1, sendTo: proxy?.url, expect: 'accept' },
        );
        // Stopping: stop() set this try to be sent again at the next start.
        if (stopped) return;
        outcome = { tries, delivered: attempt.delivered };
        settling.set(id, outcome);
      }
      // Cancelled while the try was out: the answer is kept, the simulation stays cancelled.
      if (options.simulations.get(id)?.state === 'running') {
        if (outcome.delivered) finish(id, 'delivered', outcome.tries);
        else if (outcome.tries >= MAX_TRIES) finish(id, 'inactive', outcome.tries);
        else {
          options.simulations.progress(id, 'running', outcome.tries, clock() + retryDelay(outcome.tries, simulation.speed));
          schedule(options.simulations.get(id) as StoredSimulation);
        }
      }
      settling.delete(id);
    } finally {
      busy.delete(id);
      if (!stopped) void options.supervisor.run(taskOf(id), () => changed(id));
    }
  }

  /** No more tries; a try on its way (cut by the sender's stop) is sent again at the next start. */
  function halt(): void {
    if (stopped) return;
    stopped = true;
    for (const id of busy) {
      try {
        const simulation = options.simulations.get(id);
        if (simulation?.state === 'running') options.simulations.progress(id, 'running', Math.max(0, simulation.tries - 1), clock());
      } catch (error) {
        // The cut try stays counted; the next start sends the one after it.
        options.supervisor.failed(taskOf(id), error);
      }
    }
    for (const timer of timers.values()) clearTimeout(timer);
    timers.clear();
  }

  return {
    start(request: NewSimulation): SimulationStatus {
      const simulation = options.simulations.create({ ...request, createdAt: clock(), nextTryAt: clock() });
      schedule(simulation);
      return status(simulation);
    },
    /** Picks up simulations that were running when Hooklens last stopped. */
    resume(): void {
      for (const simulation of options.simulations.running()) schedule(simulation);
    },
    /** Throws (a sentence) when storage refuses the change; the simulation then goes on as it was. */
    cancel(id: number): SimulationStatus | null {
      const simulation = options.simulations.get(id);
      if (simulation?.state === 'running') {
        try {
          finish(id, 'cancelled', simulation.tries);
        } catch (error) {
          throw new Error(`Could not cancel simulation #${id}: ${describeFailure(error)}. It goes on; try again in a moment.`, { cause: error });
        }
        const timer = timers.get(id);
        if (timer) clearTimeout(timer);
        timers.delete(id);
        settling.delete(id);
        options.supervisor.recovered(taskOf(id));
      }
      const now = options.simulations.get(id);
      if (now) options.onChange(status(now));
      return now ? status(now) : null;
    },
    get: (id: number): SimulationStatus | null => {
      const simulation = options.simulations.get(id);
      return simulation ? status(simulation) : null;
    },
    list: (): SimulationStatus[] => options.simulations.recent().map(status),
    /** Stops the timers; running simulations stay on disk and resume at the next start. */
    halt,
    /** Halts, then closes the fault proxies; running simulations stay on disk and resume at the next start. */
    async stop(): Promise<void> {
      halt();
      for (const proxy of proxies.values()) {
        proxy.server.closeAllConnections();
        await proxy.close();
      }
      proxies.clear();
    },
  };
}

export type Simulator = ReturnType<typeof createSimulator>;
