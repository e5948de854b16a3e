import { bodyVerdict, judgeBody, newDelivery, NOT_FORWARDED_TOO_LARGE, tooLargeVerdict, type RequestFacts } from '../receiver/delivery-record';
import type { SigningSecret } from '../profile/signature';
import type { ForwardPlan } from '../sender/forwarder';
import type { NewDelivery } from '../store/deliveries-repository';
import type { RelayedPosition } from '../store/relay-cursors-repository';
import { headerValues, type HeaderPair } from '../util/header-pairs';
import type { RelayedDelivery } from './protocol';

export interface RelayedContext {
  /** The subscriber's own secrets: a relayed delivery is verified here as if ReviewSense had sent it here. */
  secrets: readonly SigningSecret[];
  bodyLimit: number;
  /** Forwarding now: a relayed delivery is queued like any other (it cannot be mirrored: the relay answered it). */
  plan: ForwardPlan;
  position: RelayedPosition;
}

const NOT_MIRRORED = 'Not forwarded: mirror mode forwards only what this receiver answers, and the relay answered this one.';

/**
 * A relayed delivery as this Hooklens stores it: the bytes, headers and answer as the relay received
 * and gave them, verified with this Hooklens's secrets, its place in the stream committed with it.
 */
export function relayedDelivery(relayed: RelayedDelivery, context: RelayedContext): NewDelivery {
  const rawHeaders = relayed.rawHeadersBase64?.map(([name, value]): HeaderPair => [name, Buffer.from(value, 'base64').toString('latin1')]) ?? null;
  const facts: RequestFacts = {
    receivedAt: relayed.receivedAt,
    method: relayed.method,
    path: relayed.path,
    headers: relayed.headers,
    rawHeaders,
    contentType: headerValues(relayed.headers, 'content-type')[0] ?? null,
    remoteAddress: relayed.remoteAddress,
    // The receiver it arrived at: the relay.
    receiverOrigin: new URL(context.position.streamUrl).origin,
  };
  const forwardTo = context.plan.queueTo;
  const forwardNote = context.plan.mirror ? NOT_MIRRORED : null;
  if (relayed.bodyBase64 === null) {
    const note = forwardTo !== null ? NOT_FORWARDED_TOO_LARGE : forwardNote;
    return newDelivery(facts, tooLargeVerdict(relayed.headers, relayed.bodySize, relayed.rejection ?? 'The relay did not store the body.', relayed.status, note), context.position);
  }
  const body = Buffer.from(relayed.bodyBase64, 'base64');
  const judged = judgeBody(body, relayed.headers, context.secrets, context.bodyLimit);
  const verdict = bodyVerdict(body, judged, { status: relayed.status, forwardTo, answerPending: false });
  verdict.forwardNote = forwardNote;
  return newDelivery(facts, verdict, context.position);
}
