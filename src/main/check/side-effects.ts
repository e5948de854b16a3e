import type { Attempt } from '../../shared/attempt';
import { sendRequest, type Answer, type SendOptions } from '../sender/http-send';

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

async function read(countUrl: string, send: SendOptions): Promise<{ count: number | null; problem: string | null }> {
  const { answer } = await sendRequest({ target: countUrl, method: 'GET', headers: [['Accept', 'application/json, text/plain']], body: Buffer.alloc(0) }, send);
  if (answer.status === null || answer.status >= 300) return { count: null, problem: `Could not read --count-url: ${answer.error ?? `it answered ${answer.status}`}.` };
  const count = readCount(answer.body);
  return count === null ? { count: null, problem: '--count-url must answer a number (or {"count": n}).' } : { count, problem: null };
}

/** Reads the count, runs the deliveries, reads it again: how many side effects they had. */
export async function countDelta<E extends { attempt: Attempt; answer: Answer }>(
  countUrl: string,
  send: SendOptions,
  run: () => Promise<E[]>,
): Promise<{ delta: number | null; exchanges: E[]; problem: string | null }> {
  const before = await read(countUrl, send);
  if (before.problem) return { delta: null, exchanges: [], problem: before.problem };
  const exchanges = await run();
  const after = await read(countUrl, send);
  if (after.problem) return { delta: null, exchanges, problem: after.problem };
  return { delta: (after.count as number) - (before.count as number), exchanges, problem: null };
}
