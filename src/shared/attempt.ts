import type { Expectation } from './reviewsense/verdict';
import type { SignatureVariant } from './outgoing';

/** An outgoing request Hooklens made (forward, replay, send, check, simulate), judged by ReviewSense's rule. */
export type AttemptKind = 'forward' | 'replay' | 'send' | 'check' | 'simulate';

/** The secret a request was signed with, as every screen and line names it. */
export interface SignedWith {
  label: string;
  /** First 8 hex of the secret's SHA-256. */
  fingerprint: string;
}

export interface Attempt {
  id: number;
  deliveryId: number | null;
  kind: AttemptKind;
  target: string;
  method: string;
  requestHeaders: [string, string][];
  /** The exact bytes sent, base64. */
  requestBodyBase64: string | null;
  startedAt: number;
  durationMs: number | null;
  status: number | null;
  responseHeaders: [string, string][] | null;
  /** Response body, capped at 1 MiB, base64. */
  responseBodyBase64: string | null;
  /** True when the response body was longer than the cap. */
  responseTruncated: boolean;
  error: string | null;
  /** ReviewSense's rule: a 2xx within 10 s. */
  delivered: boolean;
  /** The same judgement in words: "would count as delivered", "would fail: retry #1 in 5 minutes". */
  verdict: string;
  /** A forward that could not connect and waits in the forward queue. */
  queued: boolean;
  /**
   * What a correct handler should do with it: accept a genuine request, refuse a broken signature
   * with a 4xx. Null when it is judged by ReviewSense's rule alone (a request from before schema 8).
   */
  expect: Expectation | null;
  /** It met that expectation; null with no expectation. `verdict` says it in words. */
  ok: boolean | null;
  /** How it was signed: a variant (valid, invalid, none, tampered), or `keep` (the captured header); null when not said. */
  signature: SignatureVariant | null;
  /** The secret that signed it (valid or tampered); null for none, invalid, keep. */
  signedWith: SignedWith | null;
  /** A replay whose body was edited before sending. */
  edited: boolean;
}
