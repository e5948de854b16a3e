// What every check test expects: the probes' names and counts, the secret the handlers verify
// with, the advice that must not be given, and the handlers (and Inspectors) a test starts.
import { afterEach } from 'vitest';
import { EVENT_TYPES } from '../../../src/shared/reviewsense/catalogue';
import type { WebhookHandler } from '../../helpers/handlers';
import type { RunningInspector } from '../../helpers/inspector';

export const SECRET = 'whsec_check_suite_secret';

export const FORGERY_NAMES = [
  'forged: missing signature',
  'forged: invalid signature',
  'forged: signed with another secret',
  'malformed: wrong length',
  'malformed: upper-case',
  'malformed: sha256= prefix',
  'forged: body tampered after signing',
  'forged: re-serialised body',
];
export const DELIVERY_NAMES = EVENT_TYPES.map((type) => `delivers ${type}`);
export const REDELIVERY_NAMES = ['same event twice, one after another', 'same event twice, at the same time'];
export const SIDE_EFFECTS = 'side effects of a redelivery';
export const SIDE_EFFECTS_AT_ONCE = 'side effects of a redelivery at the same time';
export const SIDE_EFFECT_NAMES = [SIDE_EFFECTS, SIDE_EFFECTS_AT_ONCE];
/** 7 event types, 8 forgeries, 2 redeliveries. */
export const PROBES_WITHOUT_COUNT = DELIVERY_NAMES.length + FORGERY_NAMES.length + REDELIVERY_NAMES.length;

/** Advice that blames idempotency, or the count URL: wrong whenever the event itself was not delivered. */
export const IDEMPOTENCY_ADVICE = /Remember processed event ids|not idempotent/i;
export const COUNT_URL_ADVICE = /does --count-url count/;

/** Handlers and Inspectors a test starts, closed after it (handlers first). */
export function handlerScope() {
  const started: WebhookHandler[] = [];
  const inspectors: RunningInspector[] = [];

  afterEach(async () => {
    for (const handler of started.splice(0)) await handler.close();
    for (const running of inspectors.splice(0)) await running.stop();
  });

  async function handler(start: Promise<WebhookHandler>): Promise<WebhookHandler> {
    const running = await start;
    started.push(running);
    return running;
  }

  return { handler, inspectors };
}
