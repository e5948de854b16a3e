import type { Attempt } from '../../shared/attempt';
import type { CheckReport, ProbeGroup, ProbeResult } from '../../shared/check';
import type { EventType } from '../../shared/reviewsense/catalogue';
import { sign } from '../profile/signature';
import { sendRequest, type Answer, type SendOptions, type SentRequest } from '../sender/http-send';
import { deliveryAdvice, forgeryAdvice, redeliveryAdvice, refusalAdvice, type ForgeryOutcome } from './advice';
import { said, saidBoth } from './answer-text';
import { is2xx, is4xx, result, type Exchange } from './probe-result';
import { runSideEffectProbes } from './side-effect-probes';
import { DELIVERY_TYPES, eventBody, FORGERY_PROBES, headersFor, type ProbeRequest } from './probes';

export interface CheckOptions {
  target: string;
  secret: string;
  /** A URL that answers how many times the handler did its work (read, once it settles, before and after). */
  countUrl?: string | null;
  send: SendOptions;
  /** Turns each exchange into an attempt (stored by the app, unsaved by the CLI). */
  record: (sent: SentRequest, answer: Answer) => Attempt;
  onProbe?: (probe: ProbeResult, done: number, total: number) => void;
  signal?: AbortSignal;
}

const SLOW_MS = 5_000;
const GROUP_ORDER: ProbeGroup[] = ['forgery', 'delivery', 'idempotency', 'side-effects'];

/**
 * `hooklens check`: probes a webhook handler as ReviewSense and as a forger would, and grades
 * each answer. Independent probes run concurrently, so a good handler is checked in seconds; the
 * side-effect probes run alone at the end, since every other probe may have side effects too.
 */
export async function runCheck(options: CheckOptions): Promise<CheckReport> {
  const total = DELIVERY_TYPES.length + FORGERY_PROBES.length + 2 + (options.countUrl ? 2 : 0);
  const probes: ProbeResult[] = [];
  const finished = (probe: ProbeResult): ProbeResult => {
    probes.push(probe);
    options.onProbe?.(probe, probes.length, total);
    return probe;
  };

  async function exchange(request: ProbeRequest): Promise<Exchange> {
    if (options.signal?.aborted) throw new Error('The check was cancelled.');
    const { sent, answer } = await sendRequest({ target: options.target, method: 'POST', headers: headersFor(request), body: request.body }, options.send);
    return { attempt: options.record(sent, answer), answer };
  }

  const signed = (type: EventType): ProbeRequest => {
    const body = eventBody(type);
    return { body, signature: sign(options.secret, body) };
  };

  const deliveries = DELIVERY_TYPES.map(async (type) => {
    const sent = await exchange(signed(type));
    const ok = is2xx(sent.answer) && sent.answer.durationMs <= 10_000;
    const slow = ok && sent.answer.durationMs > SLOW_MS ? `Answered in ${(sent.answer.durationMs / 1000).toFixed(1)} s: over 5 s, close to ReviewSense's 10-s limit.` : null;
    return finished(
      result(`delivers ${type}`, 'delivery', [sent], {
        ok,
        expected: '2xx within 10 s',
        got: said(sent.answer),
        advice: deliveryAdvice(sent.answer.status, sent.answer.error, type),
        warning: slow,
      }),
    );
  });

  const forgeries = Promise.all(FORGERY_PROBES.map(async (probe) => ({ probe, sent: await exchange(probe.build(options.secret)) }))).then((outcomes) => {
    const seen: ForgeryOutcome[] = outcomes.map(({ probe, sent }) => ({ name: probe.name, status: sent.answer.status }));
    return outcomes.map(({ probe, sent }) => {
      const ok = is4xx(sent.answer);
      const advice = is2xx(sent.answer) ? forgeryAdvice(probe.name, seen) : refusalAdvice(probe.name, sent.answer.status);
      return finished(result(probe.name, 'forgery', [sent], { ok, expected: `4xx (refused): ${probe.what}`, got: said(sent.answer), advice }));
    });
  });

  /** One event delivered twice: one after another, as a retry comes, or both at once. */
  const twice = async (type: EventType, atOnce: boolean): Promise<[Exchange, Exchange]> => {
    const request = signed(type);
    if (atOnce) return Promise.all([exchange(request), exchange(request)]);
    const first = await exchange(request);
    return [first, await exchange(request)];
  };

  const sequential = twice('review.analysed', false).then((both) => finished(redelivery('same event twice, one after another', 'review.analysed', both, false)));
  const concurrent = twice('review.responded', true).then((both) => finished(redelivery('same event twice, at the same time', 'review.responded', both, true)));

  await Promise.all([...deliveries, forgeries, sequential, concurrent]);

  if (options.countUrl) await runSideEffectProbes({ countUrl: options.countUrl, send: options.send, signal: options.signal, twice, finished });

  // Failing probes first, each kind in the order it is listed here.
  const rank = (probe: ProbeResult) => GROUP_ORDER.indexOf(probe.group);
  probes.sort((a, b) => Number(a.ok) - Number(b.ok) || rank(a) - rank(b) || a.name.localeCompare(b.name));
  return { ok: probes.every((probe) => probe.ok), target: options.target, probes };
}

function redelivery(name: string, type: EventType, exchanges: [Exchange, Exchange], atOnce: boolean): ProbeResult {
  const answers = [exchanges[0].answer, exchanges[1].answer] as const;
  const ok = answers.every((answer) => is2xx(answer) && answer.durationMs <= 10_000);
  return result(name, 'idempotency', exchanges, { ok, expected: '2xx both times', got: saidBoth(answers, atOnce), advice: redeliveryAdvice(answers, type, atOnce) });
}
