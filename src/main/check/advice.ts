import { SETTLE } from './side-effects';

/** What a handler's answers to the forged requests say about how it verifies. */
export interface ForgeryOutcome {
  name: string;
  status: number | null;
}

const accepted = (outcome: ForgeryOutcome | undefined) => outcome !== undefined && outcome.status !== null && outcome.status >= 200 && outcome.status < 300;

const VERIFY_RIGHT =
  'Compute HMAC-SHA256(signing secret, raw body bytes) in lower-case hex, check it is as long as the header, and compare with crypto.timingSafeEqual.';

/**
 * The likely cause behind one accepted forgery, read from the pattern of all of them: a handler
 * that accepts a request with no header does not verify at all; one that refuses that but accepts
 * any 64 hex characters checks only presence or format; one that accepts only the re-serialised
 * body verifies parsed JSON instead of the raw bytes.
 */
export function forgeryAdvice(name: string, outcomes: readonly ForgeryOutcome[]): string {
  const by = (probe: string) => outcomes.find((outcome) => outcome.name === probe);
  const acceptsMissing = accepted(by('forged: missing signature'));
  const acceptsWrongValue = accepted(by('forged: invalid signature')) || accepted(by('forged: signed with another secret'));
  const acceptsBadFormat = accepted(by('malformed: wrong length')) || accepted(by('malformed: sha256= prefix'));
  const lead = 'Your handler accepted a forged request:';
  if (acceptsMissing) return `${lead} it does not verify signatures (it even accepts a request without X-ReviewSense-Signature). ${VERIFY_RIGHT}`;
  if (acceptsWrongValue && acceptsBadFormat) return `${lead} it checks only that X-ReviewSense-Signature is present, not its value. ${VERIFY_RIGHT}`;
  if (acceptsWrongValue) return `${lead} it checks only the header's format (64 hex characters), not that it is the HMAC of this body. ${VERIFY_RIGHT}`;
  switch (name) {
    case 'forged: re-serialised body':
      return `${lead} it verifies re-serialised parsed JSON (JSON.stringify(req.body)) instead of the raw bytes, so any body that parses to the same object passes. HMAC the raw body (express.raw(), request.get_data(), io.ReadAll) before parsing it.`;
    case 'forged: body tampered after signing':
      return `${lead} the signature is checked against something other than the body you process. HMAC exactly the raw bytes you then parse.`;
    case 'malformed: upper-case':
      return `${lead} it compares the digest case-insensitively. ReviewSense sends lower-case hex: compare the exact characters.`;
    case 'malformed: sha256= prefix':
      return `${lead} it strips a "sha256=" prefix. ReviewSense sends the bare 64-character digest: compare the header as it is.`;
    case 'malformed: wrong length':
      return `${lead} it accepts a digest of the wrong length (a prefix comparison?). Compare the full 64 characters.`;
    default:
      return `${lead} ${VERIFY_RIGHT}`;
  }
}

/** Why a forged request got a non-4xx refusal (a 5xx or a timeout), and what to answer instead. */
export function refusalAdvice(name: string, status: number | null): string {
  if (status === null) return 'It did not answer within 10 s. Refuse a bad signature at once with 401.';
  if (name === 'malformed: wrong length' && status >= 500) {
    return `It answered ${status}: crypto.timingSafeEqual throws on inputs of unequal length (the spec's Node sample lacks that check). Compare lengths first and answer 401.`;
  }
  return `It answered ${status}; a forged request should get a 4xx (401). A 5xx makes ReviewSense retry it as if it were real.`;
}

/** Why a correctly signed event was not delivered, and what to change. */
export function deliveryAdvice(status: number | null, error: string | null, type: string): string {
  if (status === null) {
    return /within 10 s/.test(error ?? '')
      ? 'It took longer than 10 s, so ReviewSense would count it failed and retry. Answer 2xx first, then do the work in the background (a queue).'
      : `No answer: ${error ?? 'the connection failed'}.`;
  }
  if (status === 401 || status === 403) {
    return `It refused a correctly signed ${type}. Check the signing secret (Dashboard → ReviewSense → Webhooks → your endpoint) and that you HMAC the raw body, not re-serialised JSON.`;
  }
  if (status >= 300 && status < 400) return `It answered ${status}: ReviewSense follows no redirect. Register the final URL as the endpoint.`;
  const failed = status >= 500 ? `: your handler failed on it (its log has the error)` : '';
  return `It answered ${status} to ${type}${failed}. Answer 2xx to every event type you are subscribed to (acknowledge the ones you ignore); ReviewSense retries anything else and deactivates the endpoint after 5 failed retries.`;
}

export const REDELIVERY_ADVICE =
  'A redelivery of an event you already processed must still get a 2xx: ReviewSense retries on anything else and deactivates the endpoint after 5 failed retries. Remember processed event ids and skip the work, not the answer.';

const REDELIVERY_AT_ONCE_ADVICE =
  'When the same event arrives twice at once, the second must still get a 2xx: ReviewSense retries on anything else and deactivates the endpoint after 5 failed retries. If your duplicate check fails it (a unique-constraint violation on the event id, a lock), treat that as already processed and answer 2xx.';

type Outcome = { status: number | null; error: string | null };
const delivered = (outcome: Outcome) => outcome.error === null && outcome.status !== null && outcome.status >= 200 && outcome.status < 300;

/**
 * Why two deliveries of one event were not both delivered. Only a failure that a delivered copy
 * of the same event did not have is about the redelivery; a timeout, or a refusal of the event
 * itself (the first of two, or both at once), has the cause a single delivery would have.
 */
export function redeliveryAdvice(outcomes: readonly Outcome[], type: string, atOnce: boolean): string | null {
  const failed = outcomes.filter((outcome) => !delivered(outcome));
  const first = failed[0];
  if (first === undefined) return null;
  const unanswered = failed.find((outcome) => outcome.status === null);
  if (unanswered) return deliveryAdvice(null, unanswered.error, type);
  const eventRefused = atOnce ? failed.length === outcomes.length : outcomes[0] === first;
  if (eventRefused) return deliveryAdvice(first.status, first.error, type);
  return atOnce ? REDELIVERY_AT_ONCE_ADVICE : REDELIVERY_ADVICE;
}

const NOT_IDEMPOTENT_ADVICE = 'Not idempotent: the same event id did the work twice. Store processed event ids and skip repeats.';

const RACY_DEDUPE_ADVICE =
  'Two deliveries of one event that arrived at once both did the work, though one after another does it once: a check-then-insert race ("seen?", then insert, with an await between). Make it one atomic step: a unique constraint on the event id (INSERT … ON CONFLICT DO NOTHING, and work only when a row went in), or SET key NX.';

/**
 * Why two deliveries of one event did not have exactly one side effect. When neither was
 * delivered, the cause is the refusal, not the count; `oneAfterAnother` (that probe's count)
 * tells a race at once from no dedupe at all.
 */
export function sideEffectAdvice(delta: number, outcomes: readonly Outcome[], type: string, atOnce: boolean, oneAfterAnother: number | null): string | null {
  if (delta === 1) return null;
  if (!outcomes.some(delivered)) return redeliveryAdvice(outcomes, type, atOnce);
  if (delta > 1) return atOnce && oneAfterAnother === 1 ? RACY_DEDUPE_ADVICE : NOT_IDEMPOTENT_ADVICE;
  const moved = delta === 0 ? 'did not go up' : `moved by ${delta}`;
  return `The count ${moved} within ${SETTLE.capMs / 1000} s of a 2xx: does --count-url count this handler's work, and is the work done within seconds of the answer?`;
}
