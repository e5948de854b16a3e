import { behaviours } from './handlers/behaviours';
import { startHandler } from './handlers/server';
import { verifiesRaw } from './handlers/verification';

/**
 * Webhook handlers as developers write them, right and wrong, each a real HTTP server on
 * 127.0.0.1. They are written here from the spec, independently of Hooklens' own signing code,
 * so a check or a simulation is judged against handlers it did not help build.
 *
 * Every handler keeps a log of the requests it received (with the status it answered) and a
 * side-effect counter: the "work" it did, served at GET /count as {"count": n} (the shape
 * `hooklens check --count-url` reads).
 *
 * The signature checks are in handlers/verification.ts, the behaviours in handlers/behaviours.ts
 * and the server in handlers/server.ts; this module names the handlers, and tests import from it.
 */

export { behaviours, startHandler, verifiesRaw };
export type { Behaviour, HandlerState, LoggedRequest, WebhookHandler } from './handlers/server';

/** The handlers by name, each started on its own port with `secret`. */
export const handlers = {
  correct: (secret: string) => startHandler(behaviours.correct, secret),
  acceptsAnything: (secret: string) => startHandler(behaviours.acceptsAnything, secret),
  checksPresenceOnly: (secret: string) => startHandler(behaviours.checksPresenceOnly, secret),
  checksFormatOnly: (secret: string) => startHandler(behaviours.checksFormatOnly, secret),
  verifiesReserialisedJson: (secret: string) => startHandler(behaviours.verifiesReserialisedJson, secret),
  slowOn: (type: string, secret: string) => startHandler(behaviours.slowOn(type), secret),
  slowOnEvery: (ms: number, secret: string) => startHandler(behaviours.slowOnEvery(ms), secret),
  answerThenWork: (secret: string) => startHandler(behaviours.answerThenWork, secret),
  racyDedupe: (secret: string) => startHandler(behaviours.racyDedupe, secret),
  verifiesJsonDumps: (secret: string) => startHandler(behaviours.verifiesJsonDumps, secret),
  fails500OnRedelivery: (secret: string) => startHandler(behaviours.fails500OnRedelivery, secret),
  /** A correct handler configured with another secret than `secret` (a copy-paste from the wrong endpoint). */
  wrongSecret: (secret: string) => startHandler(behaviours.correct, `${secret}_from_another_endpoint`),
  fails500OnQuota: (secret: string) => startHandler(behaviours.fails500OnQuota, secret),
  conflictOnRedelivery: (secret: string) => startHandler(behaviours.conflictOnRedelivery, secret),
  notIdempotent: (secret: string) => startHandler(behaviours.notIdempotent, secret),
  failsFirst: (n: number, secret: string) => startHandler(behaviours.failsFirst(n), secret),
  always: (status: number, secret: string) => startHandler(behaviours.always(status), secret),
};
