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
