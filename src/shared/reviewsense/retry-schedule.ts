/** ReviewSense's retry schedule (spec: "Retries & Delivery"), as data. */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface RetryStep {
  attempt: number;
  /** Delay after the previous attempt failed. */
  delayMs: number;
  label: string;
}

export const RETRY_SCHEDULE: readonly RetryStep[] = [
  { attempt: 2, delayMs: 5 * MINUTE, label: '1st retry, 5 minutes after failure' },
  { attempt: 3, delayMs: 30 * MINUTE, label: '2nd retry, 30 minutes after 1st retry' },
  { attempt: 4, delayMs: 2 * HOUR, label: '3rd retry, 2 hours after 2nd retry' },
  { attempt: 5, delayMs: 6 * HOUR, label: '4th retry, 6 hours after 3rd retry' },
  { attempt: 6, delayMs: 24 * HOUR, label: '5th retry (final), 24 hours after 4th retry' },
];

/** After this many failed retries ReviewSense marks the endpoint inactive. */
export const MAX_RETRIES = RETRY_SCHEDULE.length;

/** "5 min, 30 min, 2 h, 6 h and 24 h": the schedule as a person reads it. */
export function retryDelaysText(): string {
  const texts = RETRY_SCHEDULE.map((step) => (step.delayMs < HOUR ? `${step.delayMs / MINUTE} min` : `${step.delayMs / HOUR} h`));
  return `${texts.slice(0, -1).join(', ')} and ${texts.at(-1)}`;
}

/** When each retry would be sent, counting from a first failure at `firstFailureAt`. */
export function retryTimes(firstFailureAt: number): number[] {
  let at = firstFailureAt;
  return RETRY_SCHEDULE.map((step) => (at += step.delayMs));
}
