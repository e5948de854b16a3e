import type { Attempt, AttemptKind } from '../../shared/attempt';
import { judgeAnswer } from '../../shared/reviewsense/verdict';
import type { AttemptsRepository, NewAttempt } from '../store/attempts-repository';
import { sendRequest, type Answer, type OutgoingRequest, type SendOptions, type SentRequest } from './http-send';
import type { TargetPolicy } from './target-policy';

export interface AttemptContext {
  kind: AttemptKind;
  deliveryId: number | null;
  /** Tries of this event that already failed, so the verdict names the right retry. */
  failuresBefore?: number;
  /** A refused forward that now waits in the queue. */
  queued?: boolean;
}

/** The record of one request and its answer, judged by ReviewSense's rule. */
export function attemptRecord(context: AttemptContext, sent: SentRequest, answer: Answer): NewAttempt {
  const { delivered, verdict } = judgeAnswer(answer, context.failuresBefore ?? 0);
  return {
    deliveryId: context.deliveryId,
    kind: context.kind,
    target: sent.target,
    method: sent.method,
    requestHeaders: sent.headers,
    requestBody: sent.body,
    startedAt: sent.startedAt,
    durationMs: answer.durationMs,
    status: answer.status,
    responseHeaders: answer.headers,
    responseBody: answer.body,
    responseTruncated: answer.truncated,
    error: answer.error,
    delivered,
    verdict: context.queued ? `${verdict}; waiting in the forward queue until the app accepts connections` : verdict,
    queued: context.queued ?? false,
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
  const sendOptions: SendOptions = { policy: options.policy, clock: options.clock, ...options.sendOptions };

  /** Sends, stores the attempt, pushes it; resolves with the attempt and the raw answer. */
  async function deliver(request: OutgoingRequest, context: AttemptContext & { queueIfRefused?: boolean }): Promise<{ attempt: Attempt; answer: Answer }> {
    const { sent, answer } = await sendRequest(request, sendOptions);
    const queued = Boolean(context.queueIfRefused && answer.refused);
    const attempt = options.attempts.insert(attemptRecord({ ...context, queued }, sent, answer));
    options.onAttempt(attempt);
    return { attempt, answer };
  }

  return { deliver };
}

export type SenderService = ReturnType<typeof createSenderService>;
