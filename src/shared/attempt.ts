/** An outgoing request Hooklens made (forward, replay, send, check, simulate), judged by ReviewSense's rule. */
export type AttemptKind = 'forward' | 'replay' | 'send' | 'check' | 'simulate';

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
}
