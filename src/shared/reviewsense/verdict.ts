import { DELIVERY_DEADLINE_MS } from './catalogue';
import { MAX_RETRIES, RETRY_SCHEDULE } from './retry-schedule';

export interface AnswerFacts {
  status: number | null;
  durationMs: number | null;
  error: string | null;
}

function delay(ms: number): string {
  const minutes = ms / 60_000;
  return minutes < 60 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${minutes / 60} hour${minutes === 60 ? '' : 's'}`;
}

function ordinalNumber(n: number): string {
  return `#${n}`;
}

/**
 * How ReviewSense would judge an answer: delivered when it is a 2xx within 10 s, otherwise the
 * retry that would follow. `failuresBefore` is how many tries of this event already failed (0
 * for a first try), so the sentence names the right retry.
 */
export function judgeAnswer(answer: AnswerFacts, failuresBefore = 0): { delivered: boolean; verdict: string } {
  const inTime = answer.durationMs !== null && answer.durationMs <= DELIVERY_DEADLINE_MS;
  const delivered = answer.error === null && answer.status !== null && answer.status >= 200 && answer.status < 300 && inTime;
  if (delivered) return { delivered, verdict: 'would count as delivered' };
  const why =
    answer.status === null
      ? answer.error ?? 'no answer'
      : answer.status >= 200 && answer.status < 300
        ? `answered ${answer.status} after the 10-s limit`
        : answer.status >= 300 && answer.status < 400
          ? `answered ${answer.status}: redirects are not followed`
          : `answered ${answer.status}`;
  const next = RETRY_SCHEDULE[failuresBefore];
  const then = next && failuresBefore < MAX_RETRIES ? `retry ${ordinalNumber(failuresBefore + 1)} in ${delay(next.delayMs)}` : 'the endpoint would be marked inactive';
  return { delivered, verdict: `would fail (${why}): ${then}` };
}

/**
 * What a request should get from a correct handler: a genuine delivery must be accepted (a 2xx
 * within 10 s); one whose signature is broken on purpose (or forged) must be refused with a 4xx.
 */
export type Expectation = 'accept' | 'refuse';

export interface Judgement {
  /** ReviewSense's rule alone: a 2xx within 10 s. */
  delivered: boolean;
  /** The answer met the expectation. */
  ok: boolean;
  verdict: string;
}

/**
 * The handler judged the way its developer means it: a genuine request by ReviewSense's rule (and
 * the retry a failure brings), a broken signature by whether it was refused. A 2xx to a forgery
 * is the handler accepting a forged request; a 5xx or no answer is a failure too, since
 * ReviewSense would retry those as if the request were real.
 */
export function judgeExpected(expect: Expectation, answer: AnswerFacts, failuresBefore = 0): Judgement {
  const judged = judgeAnswer(answer, failuresBefore);
  if (expect === 'accept') return { ...judged, ok: judged.delivered };
  const { status } = answer;
  const inTime = answer.durationMs !== null && answer.durationMs <= DELIVERY_DEADLINE_MS;
  const refuseInstead = 'a request with a broken signature should be refused with a 4xx';
  if (status === null) return { delivered: false, ok: false, verdict: `should have been refused, but got no answer (${answer.error ?? 'no answer'}): ${refuseInstead}` };
  if (status >= 200 && status < 300) return { delivered: judged.delivered, ok: false, verdict: `your handler accepted a forged request (answered ${status}): ${refuseInstead}` };
  if (status >= 400 && status < 500) {
    return inTime
      ? { delivered: false, ok: true, verdict: `rightly refused (answered ${status})` }
      : { delivered: false, ok: false, verdict: `refused (answered ${status}), but after the 10-s limit: refuse a broken signature at once` };
  }
  if (status >= 500) return { delivered: false, ok: false, verdict: `answered ${status} instead of refusing it: ${refuseInstead}; ReviewSense would retry a 5xx as if the request were real` };
  return { delivered: false, ok: false, verdict: `answered ${status} (redirects are not followed): ${refuseInstead}` };
}
