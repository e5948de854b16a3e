// How the test handlers answer a POST, right and wrong: each behaviour is one way developers write
// a webhook handler (verification, idempotency, speed, failures).
import type { Behaviour } from './server';
import { verifiesJsonDumps, verifiesRaw, verifiesReserialised } from './verification';

export const behaviours = {
  /** Verifies the raw body, refuses forgeries with 401, processes each event id once, answers 200. */
  correct: ((request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** No verification at all. */
  acceptsAnything: ((request, state) => {
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Only checks that the signature header is there. */
  checksPresenceOnly: ((request, state) => {
    if (request.signature === null) return 401;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Only checks that the header is 64 lower-case hex characters. */
  checksFormatOnly: ((request, state) => {
    if (request.signature === null || !/^[0-9a-f]{64}$/.test(request.signature)) return 401;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** HMAC of JSON.stringify(JSON.parse(raw)) (length-checked, timingSafeEqual). */
  verifiesReserialisedJson: ((request, state) => {
    if (!verifiesReserialised(request.body, request.signature, state.secret)) return 401;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Correct, but takes 11 s (past ReviewSense's 10-s limit) to answer a genuine event of `type`. */
  slowOn:
    (type: string): Behaviour =>
    async (request, state) => {
      if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
      state.processOnce(request.eventId);
      if (request.type === type) await state.sleep(11_000);
      return 200;
    },

  /** Correct, but every genuine event takes `ms` (12 s: past ReviewSense's 10-s limit) before the answer. */
  slowOnEvery:
    (ms: number): Behaviour =>
    async (request, state) => {
      if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
      state.processOnce(request.eventId);
      await state.sleep(ms);
      return 200;
    },

  /**
   * Correct, and answers first, then works (the advice for slow handlers): the event is
   * processed 300–800 ms after the 200, as a queue worker would, once per event id.
   */
  answerThenWork: ((request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    state.later(300 + (state.tries % 6) * 100, () => state.processOnce(request.eventId));
    return 200;
  }) satisfies Behaviour,

  /**
   * Verifies right, but dedupes with check-then-insert across an await ("seen?", a database round
   * trip, then insert): two deliveries of one event that arrive at once both pass the check.
   */
  racyDedupe: (async (request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    if (request.eventId !== null && state.seen.has(request.eventId)) return 200;
    // A database round trip, made long enough that two deliveries sent at once always overlap here.
    await state.sleep(200);
    if (request.eventId !== null) state.seen.add(request.eventId);
    state.processAlways();
    return 200;
  }) satisfies Behaviour,

  /** Flask's `hmac(secret, json.dumps(request.get_json()))`: refuses every genuine event with 401. */
  verifiesJsonDumps: ((request, state) => {
    if (!verifiesJsonDumps(request.body, request.signature, state.secret)) return 401;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Correct, but inserts the event id under a unique constraint and lets the violation become a 500. */
  fails500OnRedelivery: ((request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    if (request.eventId !== null && state.seen.has(request.eventId)) return 500;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Correct, but answers 500 to genuine quota.* events (it "does not handle" them). */
  fails500OnQuota: ((request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    if (request.type?.startsWith('quota.')) return 500;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Correct, but answers 409 Conflict to an event id it has already seen. */
  conflictOnRedelivery: ((request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    if (request.eventId !== null && state.seen.has(request.eventId)) return 409;
    state.processOnce(request.eventId);
    return 200;
  }) satisfies Behaviour,

  /** Correct answers, but does the work again for every delivery, even of a seen event id. */
  notIdempotent: ((request, state) => {
    if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
    if (request.eventId !== null) state.seen.add(request.eventId);
    state.processAlways();
    return 200;
  }) satisfies Behaviour,

  /** Correct, but answers 500 to the first `n` genuine deliveries (an outage that ends). */
  failsFirst:
    (n: number): Behaviour =>
    (request, state) => {
      if (!verifiesRaw(request.body, request.signature, state.secret)) return 401;
      if (state.tries <= n) return 500;
      state.processOnce(request.eventId);
      return 200;
    },

  /** Answers `status` to everything (500: an endpoint that is down). */
  always:
    (status: number): Behaviour =>
    () =>
      status,
};
