import { describe, expect, it } from 'vitest';
import { toCurl } from '../../../src/renderer/src/lib/curl';
import type { DeliveryDetail } from '../../../src/shared/delivery';

function delivery(body: Buffer | null, headers: [string, string][] = []): DeliveryDetail {
  return {
    id: 1,
    receivedAt: 0,
    method: 'POST',
    path: '/hooks/reviewsense/sub?x=1',
    eventId: null,
    eventType: null,
    signatureStatus: 'missing',
    duplicateOf: null,
    deliveryNumber: 1,
    unverifiedClaim: false,
    answerLost: null,
    lastAttempt: null,
    imported: false,
    forwardQueued: false,
    forwardNote: null,
    responseStatus: 200,
    bodySize: body?.length ?? 0,
    contentType: null,
    rejection: null,
    headers,
    rawHeaders: null,
    receiverOrigin: null,
    bodyBase64: body ? body.toString('base64') : null,
    remoteAddress: null,
    signatureSecret: null,
    signatureDiagnosis: null,
    signatureExpected: [],
    signatureReceived: null,
    parseError: null,
  };
}

describe('toCurl', () => {
  it('re-sends method, headers (not hop-by-hop ones) and the body, quoting for the shell', () => {
    const command = toCurl(
      delivery(Buffer.from(`{"it's":"quoted"}`), [['Host', 'x'], ['Content-Length', '17'], ['X-ReviewSense-Signature', 'abc'], ['Content-Type', 'application/json']]),
      'http://127.0.0.1:8787/hooks/reviewsense/sub?x=1',
    );
    expect(command).toBe(
      [
        "curl -X POST 'http://127.0.0.1:8787/hooks/reviewsense/sub?x=1'",
        "  -H 'X-ReviewSense-Signature: abc'",
        "  -H 'Content-Type: application/json'",
        `  --data-binary '{"it'\\''s":"quoted"}'`,
      ].join(' \\\n'),
    );
  });

  it('sends binary bodies, and bodies starting with @, through base64 so curl never reads a file', () => {
    expect(toCurl(delivery(Buffer.from([0xff, 0x00])), 'http://h/')).toContain("--data-binary @<(printf %s '/wA=' | base64 -d)");
    const at = toCurl(delivery(Buffer.from('@/home/u/.ssh/id_rsa')), 'http://h/');
    expect(at).not.toContain("--data-binary '@");
    expect(at).toContain(`printf %s '${Buffer.from('@/home/u/.ssh/id_rsa').toString('base64')}' | base64 -d`);
  });
});
