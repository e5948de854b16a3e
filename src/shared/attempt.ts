/** An outgoing request Hooklens made (replay, forward, send, check), judged by ReviewSense's rule. */
export type AttemptKind = 'forward' | 'replay' | 'send' | 'check';

export interface Attempt {
  id: number;
  deliveryId: number | null;
  kind: AttemptKind;
  target: string;
  method: string;
  requestHeaders: [string, string][];
  startedAt: number;
  durationMs: number | null;
  status: number | null;
  responseHeaders: [string, string][] | null;
  /** Response body, capped, base64. */
  responseBodyBase64: string | null;
  error: string | null;
}
