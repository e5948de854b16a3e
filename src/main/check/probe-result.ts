import type { Attempt } from '../../shared/attempt';
import type { ProbeGroup, ProbeResult } from '../../shared/check';
import type { Answer } from '../sender/http-send';

/** One request of a probe and its answer. */
export interface Exchange {
  attempt: Attempt;
  answer: Answer;
}

export const is2xx = (answer: Answer) => answer.error === null && answer.status !== null && answer.status >= 200 && answer.status < 300;
export const is4xx = (answer: Answer) => answer.status !== null && answer.status >= 400 && answer.status < 500;

/** A graded probe: advice only when it failed, its time the slowest answer's. */
export function result(name: string, group: ProbeGroup, exchanges: Exchange[], fields: { ok: boolean; expected: string; got: string; advice?: string | null; warning?: string | null }): ProbeResult {
  const times = exchanges.filter((exchange) => exchange.answer.status !== null).map((exchange) => exchange.answer.durationMs);
  return {
    name,
    group,
    ok: fields.ok,
    expected: fields.expected,
    got: fields.got,
    ms: times.length > 0 ? Math.max(...times) : null,
    advice: fields.ok ? null : (fields.advice ?? null),
    warning: fields.warning ?? null,
    attempts: exchanges.map((exchange) => exchange.attempt),
  };
}
