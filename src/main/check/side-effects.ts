import { setTimeout as sleep } from 'node:timers/promises';
import { sendRequest, type SendOptions } from '../sender/http-send';

/** A count as a handler's test endpoint might give it: a number, `{"count": n}`, or plain text. */
export function readCount(body: Buffer | null): number | null {
  const text = body?.toString('utf8').trim() ?? '';
  let value: unknown = text;
  try {
    value = JSON.parse(text);
  } catch {
    // Plain text: read as it is.
  }
  if (typeof value === 'object' && value !== null && 'count' in value) value = (value as { count: unknown }).count;
  const number = typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : NaN;
  return Number.isFinite(number) ? number : null;
}

/** A --count-url that cannot be read: the side-effect probes say so instead of judging. */
export class CountProblem extends Error {}

async function read(countUrl: string, send: SendOptions): Promise<number> {
  const { answer } = await sendRequest({ target: countUrl, method: 'GET', headers: [['Accept', 'application/json, text/plain']], body: Buffer.alloc(0) }, send);
  if (answer.status === null || answer.status >= 300) throw new CountProblem(`Could not read --count-url: ${answer.error ?? `it answered ${answer.status}`}.`);
  const count = readCount(answer.body);
  if (count === null) throw new CountProblem('--count-url must answer a number (or {"count": n}).');
  return count;
}

/**
 * How long the count is watched. A handler that answers first and works later (what the check
 * advises) counts after its answer, so the count is read until it has stood still for a second,
 * and at most 5 s, so a count that never moves still ends the check.
 */
export const SETTLE = { everyMs: 150, quietMs: 1_000, capMs: 5_000 };

export interface SettledCount {
  count: number;
  /** How long after the wait began the count last changed (0: it never changed while watched). */
  lastChangeMs: number;
  /** False when the cap came first: still moving, or never left the value it was to move from. */
  settled: boolean;
}

/**
 * Reads the count until it has not changed for `SETTLE.quietMs`. With `awayFrom`, work is
 * expected: a count still at that value is not settled yet, so it is watched up to the cap.
 */
export async function settledCount(countUrl: string, send: SendOptions, awayFrom: number | null, signal?: AbortSignal): Promise<SettledCount> {
  const startedAt = Date.now();
  let count = await read(countUrl, send);
  let changedAt = startedAt;
  for (;;) {
    const now = Date.now();
    if (now - changedAt >= SETTLE.quietMs && count !== awayFrom) return { count, lastChangeMs: changedAt - startedAt, settled: true };
    if (now - startedAt >= SETTLE.capMs) return { count, lastChangeMs: changedAt - startedAt, settled: false };
    if (signal?.aborted) throw new Error('The check was cancelled.');
    await sleep(SETTLE.everyMs);
    const next = await read(countUrl, send);
    if (next !== count) {
      count = next;
      changedAt = Date.now();
    }
  }
}
