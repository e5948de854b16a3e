import type { z } from 'zod';
import type { SignatureStatus } from './reviewsense/catalogue';
import { fields, text, trueOrFalse, wholeNumber } from './validate';

export const MAX_RESPONSE_DELAY_MS = 120_000;

/** How the receiver answers a delivery it has stored: one declaration for the type and every check. */
export const responseConfigSchema = fields({
  status: wholeNumber(200, 599),
  /** Custom body; null sends a short JSON acknowledgement. */
  body: text(64 * 1024, { allowEmpty: true }).nullable(),
  contentType: text(200),
  /** Wait this long after the commit before answering (> 10 s looks like a timeout to ReviewSense). */
  delayMs: wholeNumber(0, MAX_RESPONSE_DELAY_MS),
  /** Answer 401 to any delivery whose signature is not valid. */
  strict: trueOrFalse,
});

export type ResponseConfig = z.output<typeof responseConfigSchema>;

export const DEFAULT_RESPONSE: ResponseConfig = {
  status: 200,
  body: null,
  contentType: 'application/json; charset=utf-8',
  delayMs: 0,
  strict: false,
};

export function responseStatusFor(config: ResponseConfig, signature: SignatureStatus): number {
  return config.strict && signature !== 'valid' ? 401 : config.status;
}
