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

/** "5 min", "2 h", "2 h 35 min", "32 h 35 min": a span of the schedule (whole minutes). */
export function durationText(ms: number): string {
  const minutes = Math.round(ms / MINUTE);
  const hours = Math.floor(minutes / 60);
  if (hours === 0) return `${minutes} min`;
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** The schedule's wait before try `number` (1 is the first delivery, 2 the 1st retry, …): 0 for the first. */
export function waitBefore(number: number): number {
  return RETRY_SCHEDULE[number - 2]?.delayMs ?? 0;
}

/** The schedule's time from the first try to try `number`: the waits before it, added up. */
export function sinceFirst(number: number): number {
  return number <= 1 ? 0 : (retryTimes(0)[number - 2] ?? 0);
}

/**
 * Where try `number` falls on the schedule, the wait and the time since the first each named for
 * what it is ("+30 m" read as 30 minutes after the first when it was 35):
 * "try 1 · the first", "try 2 · 5 min after the first",
 * "try 3 · 30 min after try 2 · 35 min after the first".
 */
export function tryWhen(number: number): string {
  if (number <= 1) return 'try 1 · the first';
  const total = `${durationText(sinceFirst(number))} after the first`;
  return number === 2 ? `try 2 · ${total}` : `try ${number} · ${durationText(waitBefore(number))} after try ${number - 1} · ${total}`;
}
