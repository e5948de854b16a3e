import type { SignatureStatus } from './reviewsense/catalogue';

/** How the receiver answers a delivery it has stored. */
export interface ResponseConfig {
  status: number;
  /** Custom body; null sends a short JSON acknowledgement. */
  body: string | null;
  contentType: string;
  /** Wait this long after the commit before answering (> 10 s looks like a timeout to ReviewSense). */
  delayMs: number;
  /** Answer 401 to any delivery whose signature is not valid. */
  strict: boolean;
}

export const DEFAULT_RESPONSE: ResponseConfig = {
  status: 200,
  body: null,
  contentType: 'application/json; charset=utf-8',
  delayMs: 0,
  strict: false,
};

export const MAX_RESPONSE_DELAY_MS = 120_000;

export function responseStatusFor(config: ResponseConfig, signature: SignatureStatus): number {
  return config.strict && signature !== 'valid' ? 401 : config.status;
}

/** Checks a config from a user or a settings file; returns a reason when it is not usable. */
export function validateResponseConfig(config: ResponseConfig): string | null {
  if (!Number.isInteger(config.status) || config.status < 200 || config.status > 599) return 'status must be an HTTP status from 200 to 599';
  if (!Number.isInteger(config.delayMs) || config.delayMs < 0 || config.delayMs > MAX_RESPONSE_DELAY_MS) {
    return `delay must be a whole number of milliseconds from 0 to ${MAX_RESPONSE_DELAY_MS}`;
  }
  if (config.body !== null && typeof config.body !== 'string') return 'body must be text';
  return null;
}
