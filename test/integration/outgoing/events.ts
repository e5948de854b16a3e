// What the outgoing tests send and read back: events as ReviewSense sends them, signed with the
// secret startInspector configures, and the attempts an Inspector pushes.
import { createHmac } from 'node:crypto';
import { sampleEvent } from '../../../src/main/profile/samples';
import type { Attempt } from '../../../src/shared/attempt';
import type { ReceivedRequest } from '../../helpers/app-server';
import { post } from '../../helpers/http';
import type { RunningInspector } from '../../helpers/inspector';

/** The secret startInspector configures; ReviewSense "signs" the captured deliveries with it. */
export const SECRET = 'whsec_test_current';

export const hmac = (secret: string, bytes: Buffer | string): string => createHmac('sha256', secret).update(bytes).digest('hex');

/** An event as ReviewSense would send it: pretty JSON with a newline, so re-serialising would show. */
export function eventBody(id: string, type: Parameters<typeof sampleEvent>[0] = 'review.analysed'): Buffer {
  return Buffer.from(`${JSON.stringify(sampleEvent(type, { id }), null, 2)}\n`);
}

/** Delivers a signed event to the receiver as ReviewSense would; resolves with the receiver's answer. */
export function deliver(url: string, body: Buffer, extra: Record<string, string> = {}) {
  return post(url, body, { 'content-type': 'application/json', 'x-reviewsense-signature': hmac(SECRET, body), ...extra });
}

export function idOf(received: ReceivedRequest): string {
  return (JSON.parse(received.body.toString()) as { id: string }).id;
}

export function collectAttempts(running: RunningInspector): Attempt[] {
  const attempts: Attempt[] = [];
  running.inspector.on('attempt', (attempt) => attempts.push(attempt));
  return attempts;
}
