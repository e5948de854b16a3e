import type { Answer } from '../sender/http-send';

type Said = Pick<Answer, 'status' | 'durationMs' | 'error'>;

/** One answer as a probe's `got` says it: "200 in 3 ms", or what went wrong. */
export function said(answer: Said): string {
  return answer.status !== null ? `${answer.status} in ${answer.durationMs} ms` : (answer.error ?? 'no answer');
}

/** What went wrong as part of a sentence: its first sentence, lower-case, no full stop ("no answer within 10 s"). */
function clause(answer: Said): string {
  if (answer.status !== null) return said(answer);
  const text = (answer.error ?? 'no answer').split(/(?<=[.?!])\s/)[0]?.replace(/\.$/, '') ?? '';
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/**
 * Two deliveries of one event as one sentence: "401 twice, in 3 ms and 2 ms", "no answer within
 * 10 s, twice", "200 in 3 ms, then 500 in 2 ms" (one after another) or "… and …" (at once).
 */
export function saidBoth(answers: readonly [Said, Said], atOnce: boolean): string {
  const [first, second] = answers;
  if (first.status !== null && first.status === second.status) return `${first.status} twice, in ${first.durationMs} ms and ${second.durationMs} ms`;
  if (first.status === null && second.status === null && clause(first) === clause(second)) return `${clause(first)}, twice`;
  return `${clause(first)}${atOnce ? ' and ' : ', then '}${clause(second)}`;
}
