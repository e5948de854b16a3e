import type { ForwardingSettings, ForwardingStatus } from '../../shared/outgoing';
import { readStamps } from '../../shared/revision';
import type { StoredRequest } from '../store/deliveries-repository';
import type { ForwardQueueRepository } from '../store/forward-queue-repository';
import { createBackoff, type Supervisor } from '../util/supervisor';
import type { Expectation } from '../../shared/reviewsense/verdict';
import { sendableHeader, type Answer, type OutgoingRequest } from './http-send';
import type { SenderService } from './sender-service';

/** A captured request as the forwarder resends it: headers as wire pairs (exact bytes). */
export type CapturedRequest = StoredRequest;

export interface MirrorAnswer {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/** What the receiver does with a delivery it is about to commit. */
export interface ForwardPlan {
  /** Commit an outbox row for this target with the delivery; null when nothing is queued. */
  queueTo: string | null;
  /** Answer the sender with the app's answer (sent live, not queued). */
  mirror: boolean;
}

export interface ForwarderOptions {
  sender: Pick<SenderService, 'deliver'>;
  queue: ForwardQueueRepository;
  /** A stored delivery's request, exactly as received; null when it is gone or has no body. */
  request: (deliveryId: number) => StoredRequest | null;
  supervisor: Supervisor;
  /** What a correct app does with a captured request: accept a genuine one, refuse a forgery. */
  expectation: (request: StoredRequest) => Expectation;
  clock?: () => number;
  onChange: (status: ForwardingStatus) => void;
  /** How long answered forwards wait to leave the outbox together (one commit for many). */
  settleEveryMs?: number;
}

export const FORWARD_TASK = 'forward queue';
const STATUS_EVERY_MS = 200;
const SETTLE_EVERY_MS = 100;
/** Headers of the app's answer that describe its connection, not what ReviewSense should see. */
const NOT_MIRRORED = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date']);

/**
 * Forwards every captured delivery to the developer's app, byte-exact with its original headers,
 * one at a time in arrival order, from an outbox: the receiver commits a queue row with each
 * delivery, and the row goes only once the app has answered. So a kill at any moment loses no
 * acknowledged delivery; the one on its way is sent again at the next start (it may reach the
 * app twice: handlers are idempotent by event id).
 *
 * No answer (refused, reset, silent for 10 s): the queue waits and tries again, backing off. A
 * target the policy refuses, or a malformed one: the queue pauses with the reason until the
 * setting changes. A request that can never be sent (a header Node refuses): recorded as a failed
 * attempt, and the queue moves on.
 */
export function createForwarder(options: ForwarderOptions) {
  const clock = options.clock ?? Date.now;
  const { supervisor, queue } = options;
  let settings: ForwardingSettings = { enabled: false, target: null, mirror: false };
  let paused: string | null = null;
  /** Counts resumes (new settings, Retry now), so a send that began before one is judged by it. */
  let resumes = 0;
  /** Every queued delivery up to this id has been answered here; its row leaves at the next settle. */
  let doneThrough = 0;
  let sending: number | null = null;
  let draining = false;
  /** Asked to drain while a drain was ending: look once more. */
  let again = false;
  let stopped = false;
  let nextTryAt: number | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let settleTimer: NodeJS.Timeout | null = null;
  let statusTimer: NodeJS.Timeout | null = null;
  const waits = createBackoff({ firstMs: 500, maxMs: 15_000 });

  const active = (): boolean => !stopped && settings.enabled && !settings.mirror && settings.target !== null;

  /** Each status is stamped with its read, so a client keeps the latest. */
  const stamp = readStamps();

  function status(): ForwardingStatus {
    const items = queue.list(doneThrough, 50).map(({ deliveryId, queuedAt, tries, lastError }) => ({ deliveryId, queuedAt, tries, lastError }));
    return { ...settings, paused, sending, queue: { count: queue.count(doneThrough), nextTryAt, items }, revision: stamp() };
  }

  /** Pushes the status now and then, not once per forward (hundreds a second under load). */
  function changed(): void {
    if (statusTimer !== null || stopped) return;
    statusTimer = setTimeout(() => {
      statusTimer = null;
      void supervisor.run(FORWARD_TASK, () => options.onChange(status()));
    }, STATUS_EVERY_MS);
    statusTimer.unref();
  }

  /** Answered rows leave the outbox together; a crash before that sends them again (never loses one). */
  function settle(): void {
    if (settleTimer !== null) clearTimeout(settleTimer);
    settleTimer = null;
    if (doneThrough > 0) queue.removeThrough(doneThrough);
  }

  function scheduleSettle(): void {
    if (settleTimer !== null || stopped) return;
    settleTimer = setTimeout(() => void supervisor.run(FORWARD_TASK, settle), options.settleEveryMs ?? SETTLE_EVERY_MS);
    settleTimer.unref();
  }

  function done(deliveryId: number): void {
    doneThrough = Math.max(doneThrough, deliveryId);
    scheduleSettle();
  }

  function retryLater(): void {
    if (retryTimer !== null || stopped) return;
    const wait = waits.next();
    nextTryAt = clock() + wait;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      nextTryAt = null;
      kick();
    }, wait);
    retryTimer.unref();
  }

  /** Sends what waits, oldest first, until the app gives no answer, the queue pauses, or it is empty. */
  async function drain(): Promise<void> {
    for (;;) {
      if (!active() || paused !== null) return;
      const [head] = queue.list(doneThrough, 1);
      if (!head) return;
      const request = options.request(head.deliveryId);
      // Deleted, or stored without a body: nothing to send.
      if (!request) {
        done(head.deliveryId);
        continue;
      }
      sending = head.deliveryId;
      const round = resumes;
      changed();
      // The current target: the queue waits for *your app*, wherever it now listens.
      const target = settings.target ?? head.target;
      const { answer } = await options.sender.deliver(outgoing(target, request), forwardContext(head.deliveryId, request, true)).finally(() => {
        sending = null;
      });
      // Stopping: the row stays, and the forward is sent again at the next start.
      if (stopped || answer.aborted) return;
      // The settings changed while this one was on its way (a new target, Retry now): its refusal
      // or silence says nothing about the new ones, so the queue is tried again at once.
      const superseded = round !== resumes;
      if (superseded && (answer.unsent === 'target' || answer.noAnswer)) {
        if (answer.noAnswer) queue.tried(head.deliveryId, answer.error ?? 'no answer');
        continue;
      }
      if (answer.unsent === 'target') {
        paused = answer.error ?? 'the target was refused';
        changed();
        return;
      }
      if (answer.noAnswer) {
        queue.tried(head.deliveryId, answer.error ?? 'no answer');
        retryLater();
        changed();
        return;
      }
      // Any answer, even a 500, means the app is there; a request that can never be sent is
      // recorded as a failed attempt. Either way the queue moves on.
      waits.reset();
      done(head.deliveryId);
      changed();
    }
  }

  /** A forward sends the capture as it arrived, signature and all, and is judged against what it is. */
  function forwardContext(deliveryId: number, request: StoredRequest, queueIfRefused: boolean) {
    return { kind: 'forward' as const, deliveryId, queueIfRefused, expect: options.expectation(request), signature: 'keep' as const };
  }

  /** Starts draining unless a drain runs, a retry waits, or the queue is paused. */
  function kick(): void {
    if (draining) again = true;
    if (draining || retryTimer !== null || !active() || paused !== null) return;
    draining = true;
    again = false;
    void supervisor
      .run(FORWARD_TASK, async () => {
        await drain();
        return true;
      })
      .then((finished) => {
        draining = false;
        // Storage refused a read or a write (locked, full): reported; try again later.
        if (!finished) retryLater();
        else if (again) kick();
      });
  }

  /** Mirror mode: the app's answer, to be given to ReviewSense; 502 when there is none. */
  async function mirror(deliveryId: number, captured: StoredRequest): Promise<MirrorAnswer | null> {
    const target = settings.target;
    if (!settings.enabled || !settings.mirror || !target || stopped) return null;
    const { answer } = await options.sender.deliver(outgoing(target, captured), forwardContext(deliveryId, captured, false));
    return mirrored(answer);
  }

  /** A new setting (or Retry now): a pause is lifted, the back-off starts over, the queue is tried. */
  function resume(): void {
    resumes += 1;
    paused = null;
    waits.reset();
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    nextTryAt = null;
    kick();
    changed();
  }

  function configure(next: ForwardingSettings): ForwardingStatus {
    settings = { ...next, target: next.target ?? null };
    resume();
    return status();
  }

  return {
    status,
    configure,
    settings: () => settings,
    /** Decided as a delivery is committed: its outbox row, or a live mirror. */
    plan: (): ForwardPlan => ({ queueTo: active() ? settings.target : null, mirror: !stopped && settings.enabled && settings.mirror && settings.target !== null }),
    /** A delivery was committed with an outbox row: send it when its turn comes. */
    committed(): void {
      kick();
      changed();
    },
    mirror,
    /** Try the queue now: the user asked, or a setting it depends on changed (allowed hosts, the receiver's port). */
    retryNow: resume,
    drop(deliveryId: number): ForwardingStatus {
      queue.remove(deliveryId);
      changed();
      return status();
    },
    clear(): ForwardingStatus {
      queue.clear();
      changed();
      return status();
    },
    /**
     * No more sends or retries. Answered rows leave the outbox now; what waits (and the forward on
     * its way, if any) stays on disk for the next start.
     */
    stop(): void {
      stopped = true;
      for (const timer of [retryTimer, statusTimer]) if (timer !== null) clearTimeout(timer);
      retryTimer = null;
      statusTimer = null;
      void supervisor.run(FORWARD_TASK, settle);
    },
  };
}

function outgoing(target: string, request: StoredRequest): OutgoingRequest {
  return { target, method: request.method, headers: request.headers, body: request.body };
}

function mirrored(answer: Answer): MirrorAnswer {
  if (answer.status === null) {
    const message = `Hooklens stored this delivery but could not forward it to your app: ${answer.error ?? 'no answer'}`;
    return { status: 502, headers: [['Content-Type', 'application/json; charset=utf-8']], body: Buffer.from(JSON.stringify({ error: 'bad_gateway', message })) };
  }
  // A header this server could not send would turn the app's answer into a 500.
  const headers = (answer.headers ?? []).filter(([name, value]) => !NOT_MIRRORED.has(name.toLowerCase()) && sendableHeader(name, value));
  return { status: answer.status, headers, body: answer.body ?? Buffer.alloc(0) };
}

export type Forwarder = ReturnType<typeof createForwarder>;
