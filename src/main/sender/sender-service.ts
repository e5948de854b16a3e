import type { Attempt, AttemptKind, SignedWith } from '../../shared/attempt';
import type { SignatureVariant } from '../../shared/outgoing';
import { judgeAnswer, judgeExpected, type Expectation } from '../../shared/reviewsense/verdict';
import type { AttemptsRepository, NewAttempt } from '../store/attempts-repository';
import { isForeignKeyViolation } from '../store/sqlite-errors';
import { textHeaders } from '../util/header-pairs';
import { sendRequest, type Answer, type OutgoingRequest, type SendOptions, type SentRequest } from './http-send';
import type { TargetPolicy } from './target-policy';

export interface AttemptContext {
  kind: AttemptKind;
  deliveryId: number | null;
  /** Tries of this event that already failed, so the verdict names the right retry. */
  failuresBefore?: number;
  /** A forward the app gave no answer to (refused, reset, timed out) that now waits in the queue. */
  queued?: boolean;
  /** The retry simulation this try belongs to. */
  simulationId?: number;
  /** What a correct handler does with it; without one, ReviewSense's rule alone judges it. */
  expect?: Expectation | null;
  /** How it was signed, and with which secret. */
  signature?: SignatureVariant | null;
  signedWith?: SignedWith | null;
  edited?: boolean;
}

/** The record of one request and its answer, judged by ReviewSense's rule. */
export function attemptRecord(context: AttemptContext, sent: SentRequest, answer: Answer): NewAttempt {
  const expect = context.expect ?? null;
  // A request that never left says so: there is no answer of the target's to judge.
  const judged = answer.unsent
    ? { delivered: false, ok: false, verdict: `not sent: ${answer.error ?? 'unknown reason'}` }
    : expect
      ? judgeExpected(expect, answer, context.failuresBefore ?? 0)
      : { ...judgeAnswer(answer, context.failuresBefore ?? 0), ok: null };
  return {
    deliveryId: context.deliveryId,
    kind: context.kind,
    target: sent.target,
    method: sent.method,
    // Stored as text to read; what went on the wire was these bytes.
    requestHeaders: textHeaders(sent.headers),
    requestBody: sent.body,
    startedAt: sent.startedAt,
    durationMs: answer.durationMs,
    status: answer.status,
    responseHeaders: answer.headers ? textHeaders(answer.headers) : null,
    responseBody: answer.body,
    responseTruncated: answer.truncated,
    error: answer.error,
    delivered: judged.delivered,
    verdict: context.queued ? `${judged.verdict}; waiting in the forward queue until the app accepts connections` : judged.verdict,
    queued: context.queued ?? false,
    simulationId: context.simulationId ?? null,
    expect,
    ok: expect ? judged.ok : null,
    signature: context.signature ?? null,
    signedWith: context.signedWith ?? null,
    edited: context.edited ?? false,
  };
}

/** An attempt that was not stored (the CLI's `send`), shaped like a stored one. */
export function unsavedAttempt(record: NewAttempt): Attempt {
  return {
    id: 0,
    deliveryId: record.deliveryId,
    kind: record.kind,
    target: record.target,
    method: record.method,
    requestHeaders: record.requestHeaders,
    requestBodyBase64: record.requestBody?.toString('base64') ?? null,
    startedAt: record.startedAt,
    durationMs: record.durationMs,
    status: record.status,
    responseHeaders: record.responseHeaders,
    responseBodyBase64: record.responseBody?.toString('base64') ?? null,
    responseTruncated: record.responseTruncated,
    error: record.error,
    delivered: record.delivered,
    verdict: record.verdict,
    queued: record.queued,
    expect: record.expect,
    ok: record.ok,
    signature: record.signature,
    signedWith: record.signedWith,
    edited: record.edited,
  };
}

export interface SenderServiceOptions {
  attempts: Pick<AttemptsRepository, 'insert'>;
  policy: TargetPolicy;
  clock?: () => number;
  /** Every stored attempt, as the `attempt` event. */
  onAttempt: (attempt: Attempt) => void;
  sendOptions?: Partial<SendOptions>;
}

/** The one sender of the core: replay, forward, send (and check, simulate) all go through it. */
export function createSenderService(options: SenderServiceOptions) {
  const stopping = new AbortController();
  const sendOptions: SendOptions = { policy: options.policy, clock: options.clock, ...options.sendOptions, signal: stopping.signal };
  const inFlight = new Set<Promise<unknown>>();

  /**
   * Sends, stores the attempt, pushes it; resolves with the attempt and the raw answer. A request
   * cut short because Hooklens stops is not an answer of the target's: it is neither stored nor
   * pushed (the caller keeps it for later, e.g. in the forward queue).
   */
  function deliver(request: OutgoingRequest, context: AttemptContext & { queueIfRefused?: boolean; sendTo?: string }): Promise<{ attempt: Attempt; answer: Answer }> {
    const delivering = send(request, context);
    inFlight.add(delivering);
    return delivering.finally(() => inFlight.delete(delivering));
  }

  async function send(request: OutgoingRequest, context: AttemptContext & { queueIfRefused?: boolean; sendTo?: string }): Promise<{ attempt: Attempt; answer: Answer }> {
    // `sendTo`: the request really goes there (a fault proxy), while the attempt names the target.
    const { sent, answer } = await sendRequest(context.sendTo ? { ...request, target: context.sendTo } : request, sendOptions);
    if (context.sendTo) sent.target = request.target;
    const queued = Boolean(context.queueIfRefused && (answer.noAnswer || answer.aborted));
    const record = attemptRecord({ ...context, queued }, sent, answer);
    // Cut by Hooklens stopping, or a forward the target setting refused: neither is an answer of
    // the app's (the forward waits in its queue for the setting to change).
    if (answer.aborted || (context.kind === 'forward' && answer.unsent === 'target')) return { attempt: unsavedAttempt(record), answer };
    let attempt: Attempt;
    try {
      attempt = options.attempts.insert(record);
    } catch (error) {
      // Its delivery was deleted while the request was out (Delete all, a delete, retention):
      // there is nothing left to file the answer under, and nothing to show it on.
      if (record.deliveryId !== null && isForeignKeyViolation(error)) return { attempt: unsavedAttempt(record), answer };
      throw error;
    }
    options.onAttempt(attempt);
    return { attempt, answer };
  }

  /** Cuts every request still waiting for an answer and waits until each is settled and recorded. */
  async function stop(): Promise<void> {
    stopping.abort();
    await Promise.allSettled([...inFlight]);
  }

  return { deliver, stop };
}

export type SenderService = ReturnType<typeof createSenderService>;
