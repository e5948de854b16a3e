import { startApp, type TestApp } from './app-server';

// ── From the spec ("Verifying Signatures", "Verification example in Node.js"), copied verbatim.
// It is JavaScript: its parameters carry no types, which is the one thing TypeScript objects to.
import crypto from 'node:crypto';
// @ts-expect-error -- the spec's sample declares untyped parameters (implicit any).
function verifyWebhook(rawBody, signature, secret) {
  // rawBody must be the raw Buffer/string, NOT parsed JSON
  const expected = crypto
    .createHmac('sha256', secret)
    .update(rawBody)
    .digest('hex');
  return crypto.timingSafeEqual(
    Buffer.from(expected),
    Buffer.from(signature)
  );
}
// ── End of the spec's sample.

/**
 * A tiny webhook handler written the way the spec tells a developer to: it verifies the raw body
 * with the spec's own `verifyWebhook` and answers 200 when it verifies, 401 otherwise. The
 * try/catch is the handler's, not the sample's: `timingSafeEqual` throws on inputs of unequal
 * length, and `Buffer.from(undefined)` throws when the header is missing.
 */
export function startSpecHandler(secret: string): Promise<TestApp> {
  return startApp((request, response) => {
    const header = request.headers.find(([name]) => name.toLowerCase() === 'x-reviewsense-signature')?.[1];
    let verified: boolean;
    try {
      verified = verifyWebhook(request.body, header, secret) === true;
    } catch {
      verified = false;
    }
    response.writeHead(verified ? 200 : 401, { 'content-type': 'text/plain' });
    response.end(verified ? 'verified' : 'signature rejected');
  });
}
