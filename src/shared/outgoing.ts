import type { Revised } from './revision';

/**
 * What an outgoing request (send, replay, forward) carries as its signature. `valid`: HMAC of the
 * bytes sent; `invalid`: well-formed but made with another secret; `none`: no header; `tampered`:
 * signed, then the body changed; `keep`: the captured header as it was (replay as captured).
 */
export const SIGNATURE_VARIANTS = ['valid', 'invalid', 'none', 'tampered'] as const;
export type SignatureVariant = (typeof SIGNATURE_VARIANTS)[number] | 'keep';

/** The header ReviewSense signs with, as it spells it. */
export const SIGNATURE_HEADER_NAME = 'X-ReviewSense-Signature';

export interface QueuedForwardInfo {
  deliveryId: number;
  queuedAt: number;
  tries: number;
  lastError: string | null;
}

/** Forwarding as the status bar and Settings show it; `revision`: see revision.ts (a later read has a higher one). */
export interface ForwardingStatus extends Revised {
  enabled: boolean;
  /** Your app's URL; every captured delivery is sent there byte-exact. */
  target: string | null;
  /** Answer ReviewSense with the app's status and body (502 when it cannot be reached). */
  mirror: boolean;
  /**
   * Why the queue is paused: the target is malformed or refused by the outgoing rules. It waits,
   * keeping every delivery, until the target or the allowed hosts change (or Retry now).
   */
  paused: string | null;
  /** The delivery being sent to your app right now, if any (the head of the queue, counted in it). */
  sending: number | null;
  queue: { count: number; nextTryAt: number | null; items: QueuedForwardInfo[] };
}

export interface ForwardingSettings {
  enabled: boolean;
  target: string | null;
  mirror: boolean;
}
