import type { ForwardingSettings, ForwardingStatus } from '../../shared/outgoing';
import type { ForwardQueueRepository } from '../store/forward-queue-repository';
import type { Answer, OutgoingRequest } from './http-send';
import type { SenderService } from './sender-service';

/** A captured request as the forwarder resends it. */
export interface CapturedRequest {
  method: string;
  headers: [string, string][];
  body: Buffer;
}

export interface MirrorAnswer {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

export interface ForwarderOptions {
  sender: Pick<SenderService, 'deliver'>;
  queue: ForwardQueueRepository;
  /** A stored delivery's request, for the queue (it outlives the process). */
  captured: (deliveryId: number) => CapturedRequest | null;
  clock?: () => number;
  onChange: (status: ForwardingStatus) => void;
  /** A failure of the queue itself (storage refused a write): reported, the queue kept on disk. */
  onError: (error: unknown) => void;
}

const FIRST_RETRY_MS = 500;
const MAX_RETRY_MS = 15_000;
/** Headers of the app's answer that describe its connection, not what ReviewSense should see. */
const NOT_MIRRORED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

/**
 * Forwards every captured delivery to the developer's app, byte-exact with its original headers.
 * Without mirror, a delivery the app refuses the connection for (a restart, a hot reload) waits in
 * a queue on disk and is sent, in arrival order, as soon as the app answers again; while anything
 * waits, new deliveries queue behind it so the order holds.
 */
export function createForwarder(options: ForwarderOptions) {
  const clock = options.clock ?? Date.now;
  let settings: ForwardingSettings = { enabled: false, target: null, mirror: false };
  let timer: NodeJS.Timeout | null = null;
  let nextTryAt: number | null = null;
  let retryDelay = 0;
  let draining = false;
  let stopped = false;
  /** Forwards on their way now; kept in the queue if Hooklens stops before they are answered. */
  const live = new Map<number, string>();

  function status(): ForwardingStatus {
    const items = options.queue.list(50).map(({ deliveryId, queuedAt, tries, lastError }) => ({ deliveryId, queuedAt, tries, lastError }));
    return { ...settings, queue: { count: options.queue.count(), nextTryAt, items } };
  }

  const changed = () => options.onChange(status());

  function request(target: string, captured: CapturedRequest): OutgoingRequest {
    return { target, method: captured.method, headers: captured.headers, body: captured.body };
  }

  function schedule(): void {
    if (stopped || timer !== null || !settings.enabled || settings.mirror || options.queue.count() === 0) return;
    retryDelay = Math.min(Math.max(FIRST_RETRY_MS, retryDelay * 2), MAX_RETRY_MS);
    nextTryAt = clock() + retryDelay;
    timer = setTimeout(() => {
      timer = null;
      drainReporting();
    }, retryDelay);
    timer.unref();
  }

  function drainReporting(): void {
    drain().catch(options.onError);
  }

  /** Sends what waits, oldest first, until the app refuses again or the queue is empty. */
  async function drain(): Promise<void> {
    if (draining) return;
    draining = true;
    try {
      for (;;) {
        if (stopped || !settings.enabled || settings.mirror) break;
        const [head] = options.queue.list(1);
        if (!head) break;
        const captured = options.captured(head.deliveryId);
        if (!captured) {
          options.queue.remove(head.deliveryId);
          continue;
        }
        // The current target: the queue waits for *your app*, wherever it now listens.
        const { answer } = await options.sender.deliver(request(settings.target ?? head.target, captured), { kind: 'forward', deliveryId: head.deliveryId, queueIfRefused: true });
        // Stopping: it stays queued for the next start (sent again if its answer came just now).
        if (stopped || answer.aborted) break;
        if (answer.noAnswer) {
          options.queue.tried(head.deliveryId, answer.error ?? 'no answer');
          break;
        }
        // Any answer, even a 500, means the app is back: the queue moves on.
        options.queue.remove(head.deliveryId);
        retryDelay = 0;
      }
    } finally {
      draining = false;
      nextTryAt = null;
      if (!stopped) {
        schedule();
        changed();
      }
    }
  }

  /** A delivery was committed: forward it now, or queue it behind what waits. Never throws. */
  async function onDelivery(deliveryId: number, captured: CapturedRequest): Promise<void> {
    const target = settings.target;
    if (!settings.enabled || settings.mirror || !target) return;
    if (stopped || options.queue.count() > 0 || draining) {
      options.queue.enqueue(deliveryId, target, clock());
      changed();
      return;
    }
    live.set(deliveryId, target);
    const { answer } = await options.sender.deliver(request(target, captured), { kind: 'forward', deliveryId, queueIfRefused: true }).finally(() => live.delete(deliveryId));
    // Stopping: stop() queued it for the next start; the database is about to close.
    if (stopped) return;
    // Refused, reset or timed out: the app may be restarting, so the delivery waits for it.
    if (answer.noAnswer) {
      options.queue.enqueue(deliveryId, target, clock());
      options.queue.tried(deliveryId, answer.error ?? 'no answer');
      schedule();
      changed();
    }
  }

  /** Mirror mode: the app's answer, to be given to ReviewSense; 502 when the app cannot be reached. */
  async function mirror(deliveryId: number, captured: CapturedRequest): Promise<MirrorAnswer | null> {
    const target = settings.target;
    if (!settings.enabled || !settings.mirror || !target) return null;
    const { answer } = await options.sender.deliver(request(target, captured), { kind: 'forward', deliveryId });
    return mirrored(answer);
  }

  function configure(next: ForwardingSettings): ForwardingStatus {
    settings = { ...next, target: next.target ?? null };
    if (timer !== null) clearTimeout(timer);
    timer = null;
    retryDelay = 0;
    nextTryAt = null;
    if (settings.enabled && !settings.mirror) drainReporting();
    changed();
    return status();
  }

  return {
    status,
    configure,
    settings: () => settings,
    onDelivery,
    mirror,
    /** Try the queue now (the user asked, or Hooklens restarted). */
    retryNow: drainReporting,
    drop(deliveryId: number): ForwardingStatus {
      options.queue.remove(deliveryId);
      changed();
      return status();
    },
    clear(): ForwardingStatus {
      options.queue.clear();
      changed();
      return status();
    },
    /**
     * No more sends or retries. What waits stays on disk for the next start, and so does every
     * forward still on its way (it may reach the app twice: handlers are idempotent by event id).
     */
    stop(): void {
      stopped = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      for (const [deliveryId, target] of live) options.queue.enqueue(deliveryId, target, clock());
    },
  };
}

function mirrored(answer: Answer): MirrorAnswer {
  if (answer.status === null) {
    const message = `Hooklens stored this delivery but could not forward it to your app: ${answer.error ?? 'no answer'}`;
    return { status: 502, headers: [['Content-Type', 'application/json; charset=utf-8']], body: Buffer.from(JSON.stringify({ error: 'bad_gateway', message })) };
  }
  const headers = (answer.headers ?? []).filter(([name]) => !NOT_MIRRORED.has(name.toLowerCase()));
  return { status: answer.status, headers, body: answer.body ?? Buffer.alloc(0) };
}

export type Forwarder = ReturnType<typeof createForwarder>;
