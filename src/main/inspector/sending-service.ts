import type { SignaturePreview } from '../../shared/api';
import type { Attempt } from '../../shared/attempt';
import { SIGNATURE_HEADER_NAME, type SignatureVariant } from '../../shared/outgoing';
import type { EventType } from '../../shared/reviewsense/catalogue';
import { ApiInputError } from '../../shared/validate';
import type { SigningSecret } from '../profile/signature';
import { sampleEvent } from '../profile/samples';
import { expectationOfCaptured, expectationOfVariant } from '../sender/expectation';
import type { OutgoingRequest } from '../sender/http-send';
import type { SenderService } from '../sender/sender-service';
import { applySignature } from '../sender/signing';
import type { Store } from '../store/store';
import type { Signer } from './signer';
import type { Targets } from './targets';

export interface TestEventRequest {
  target: string | null;
  body: string;
  secretId: string | null;
  variant: Exclude<SignatureVariant, 'keep'>;
}

export interface ReplayRequest {
  id: number;
  target: string | null;
  signature: SignatureVariant;
  secretId?: string | null;
  /** Edited bytes (text) to send instead of the captured ones, signed as asked. */
  body?: string | null;
}

/** The headers ReviewSense sends with every delivery. */
const ENVELOPE_HEADERS: [string, string][] = [
  ['Content-Type', 'application/json'],
  ['User-Agent', 'Hooklens (ReviewSense webhook test)'],
];

/**
 * Requests the developer sends on purpose: forged test events (signed as asked) and replays of
 * captured deliveries (as captured, re-signed, or edited), each judged against what a correct
 * handler does with it. Secret values never leave the core: the composer asks for a preview.
 */
export function createSendingService(options: {
  store: Pick<Store, 'deliveries' | 'attempts'>;
  sender: Pick<SenderService, 'deliver'>;
  signer: Signer;
  targets: Targets;
  secrets: () => readonly SigningSecret[];
  clock: () => number;
}) {
  const { store, sender, signer, targets } = options;

  async function sendTestEvent(request: TestEventRequest): Promise<Attempt> {
    const target = targets.resolve(request.target);
    const secret = signer.forVariant(request.variant, request.secretId);
    const signed = applySignature(request.variant, secret?.value ?? null, ENVELOPE_HEADERS, Buffer.from(request.body));
    const expect = targets.expectationAt(target, expectationOfVariant(request.variant));
    const context = { kind: 'send' as const, deliveryId: null, expect, signature: request.variant, signedWith: signer.signedWith(secret) };
    return (await sender.deliver({ target, method: 'POST', headers: signed.headers, body: signed.body }, context)).attempt;
  }

  async function replayDelivery(request: ReplayRequest): Promise<Attempt> {
    const captured = store.deliveries.request(request.id);
    if (!captured) throw new ApiInputError(`Delivery #${request.id} does not exist or has no stored body (a rejected request).`);
    const target = targets.resolve(request.target);
    const body = request.body === null || request.body === undefined ? captured.body : Buffer.from(request.body);
    const edited = !body.equals(captured.body);
    if (request.signature === 'keep' && edited) throw new ApiInputError('An edited body cannot keep the captured signature (it would not match): re-sign it.');
    const secret = signer.forVariant(request.signature, request.secretId);
    const signed = applySignature(request.signature, secret?.value ?? null, captured.headers, body);
    const outgoing: OutgoingRequest = { target, method: captured.method, headers: signed.headers, body: signed.body };
    // As captured: judged by whether the captured signature is genuine; re-signed: by the variant.
    const expected = request.signature === 'keep' ? expectationOfCaptured(captured.body, captured.headers, options.secrets(), captured.signatureStatus) : expectationOfVariant(request.signature);
    const context = {
      kind: 'replay' as const,
      deliveryId: request.id,
      failuresBefore: store.attempts.failedReplays(request.id),
      expect: targets.expectationAt(target, expected),
      signature: request.signature,
      signedWith: signer.signedWith(secret),
      edited,
    };
    return (await sender.deliver(outgoing, context)).attempt;
  }

  /** The signature header a send would carry for this body, computed in the core (secrets never leave it). */
  function previewSignature(request: { body: string; secretId: string | null; variant: Exclude<SignatureVariant, 'keep'> }): SignaturePreview {
    if (request.variant === 'none') return { header: SIGNATURE_HEADER_NAME, value: null, note: 'No signature header: your handler must reject it.' };
    if (request.variant === 'invalid') return { header: SIGNATURE_HEADER_NAME, value: '(64 hex digits made with another secret)', note: 'Well-formed but wrong: your handler must reject it.' };
    const secret = signer.value(request.secretId);
    if (secret === null) return { header: SIGNATURE_HEADER_NAME, value: null, note: 'No signing secret yet: add one in Settings to sign.' };
    const signed = applySignature(request.variant, secret, [], Buffer.from(request.body));
    return {
      header: SIGNATURE_HEADER_NAME,
      value: signed.signature,
      note: request.variant === 'tampered' ? 'Signed, then the body is changed ("tampered": true added): your handler must reject it.' : 'HMAC-SHA256 of the exact bytes sent.',
    };
  }

  return {
    calls: {
      newTestEvent: (type: EventType): string => `${JSON.stringify(sampleEvent(type, { now: options.clock() }), null, 2)}\n`,
      previewSignature,
      sendTestEvent,
      replayDelivery,
    },
  };
}

export type SendingService = ReturnType<typeof createSendingService>;
