import type { ExportedDelivery } from '../../shared/exchange';
import { resendableHeaders, type FormatWriter } from './format-writer';

/** What a fixture resends: no signature (it signs at run time), no secret, the exact bytes. */
function fixtureCase(delivery: ExportedDelivery) {
  return {
    name: `#${delivery.id} ${delivery.eventType ?? `${delivery.method} ${delivery.path}`}${delivery.eventId ? ` ${delivery.eventId}` : ''}`,
    headers: resendableHeaders(delivery.headers),
    body: delivery.bodyBase64 ?? '',
  };
}

const NODE_HEAD = (exportedAt: string) => `// Hooklens fixtures, exported ${exportedAt}: ReviewSense deliveries as tests for your handler.
// Run: REVIEWSENSE_WEBHOOK_URL=http://localhost:3000/webhooks REVIEWSENSE_SIGNING_SECRET=whsec_… node --test <this file>
// Each delivery is sent byte-exact, signed now with your secret, and must get a 2xx; then the same
// body with a wrong signature must get a 4xx. No signature and no secret is stored in this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';

const url = process.env.REVIEWSENSE_WEBHOOK_URL;
const secret = process.env.REVIEWSENSE_SIGNING_SECRET;

function send(fixture, signature) {
  const headers = new Headers(fixture.headers);
  headers.set('X-ReviewSense-Signature', signature);
  return fetch(url, { method: 'POST', headers, body: Buffer.from(fixture.body, 'base64'), redirect: 'manual', signal: AbortSignal.timeout(10_000) });
}

const deliveries = [
`;

const NODE_TAIL = `];

test('REVIEWSENSE_WEBHOOK_URL and REVIEWSENSE_SIGNING_SECRET are set', () => {
  assert.ok(url, 'Set REVIEWSENSE_WEBHOOK_URL to your handler (e.g. http://localhost:3000/webhooks).');
  assert.ok(secret, 'Set REVIEWSENSE_SIGNING_SECRET to the signing secret your handler verifies with.');
});

for (const fixture of deliveries) {
  test(\`\${fixture.name}: signed with your secret → 2xx\`, { skip: !url || !secret }, async () => {
    const signature = createHmac('sha256', secret).update(Buffer.from(fixture.body, 'base64')).digest('hex');
    const response = await send(fixture, signature);
    assert.ok(response.status >= 200 && response.status < 300, \`expected a 2xx, got \${response.status}: \${await response.text()}\`);
  });
  test(\`\${fixture.name}: wrong signature → 4xx\`, { skip: !url || !secret }, async () => {
    const response = await send(fixture, randomBytes(32).toString('hex'));
    assert.ok(response.status >= 400 && response.status < 500, \`expected a 4xx for a forged request, got \${response.status}\`);
  });
}
`;

export function fixtureNode(exportedAt: string): FormatWriter {
  return {
    head: () => NODE_HEAD(exportedAt),
    // A rejected delivery (no stored body) has nothing to resend.
    row: (delivery) => (delivery.bodyBase64 === null ? '' : `  ${JSON.stringify(fixtureCase(delivery))},\n`),
    tail: () => NODE_TAIL,
  };
}

const PYTEST_HEAD = (exportedAt: string) => `# Hooklens fixtures, exported ${exportedAt}: ReviewSense deliveries as tests for your handler.
# Run: REVIEWSENSE_WEBHOOK_URL=http://localhost:3000/webhooks REVIEWSENSE_SIGNING_SECRET=whsec_… pytest <this file>
# Each delivery is sent byte-exact, signed now with your secret, and must get a 2xx; then the same
# body with a wrong signature must get a 4xx. No signature and no secret is stored in this file.
import base64
import hashlib
import hmac
import json
import os
import secrets
import urllib.error
import urllib.request

import pytest

URL = os.environ.get("REVIEWSENSE_WEBHOOK_URL")
SECRET = os.environ.get("REVIEWSENSE_SIGNING_SECRET")


def _case(encoded):
    return json.loads(base64.b64decode(encoded))


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _send(fixture, signature):
    body = base64.b64decode(fixture["body"])
    request = urllib.request.Request(URL, data=body, method="POST")
    for name, value in fixture["headers"]:
        request.add_header(name, value)
    request.add_header("X-ReviewSense-Signature", signature)
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


DELIVERIES = [
`;

const PYTEST_TAIL = `]


def test_environment_is_set():
    assert URL, "Set REVIEWSENSE_WEBHOOK_URL to your handler (e.g. http://localhost:3000/webhooks)."
    assert SECRET, "Set REVIEWSENSE_SIGNING_SECRET to the signing secret your handler verifies with."


needs_env = pytest.mark.skipif(not URL or not SECRET, reason="REVIEWSENSE_WEBHOOK_URL and REVIEWSENSE_SIGNING_SECRET are not set")


@needs_env
@pytest.mark.parametrize("fixture", DELIVERIES, ids=[fixture["name"] for fixture in DELIVERIES])
def test_signed_delivery_is_accepted(fixture):
    signature = hmac.new(SECRET.encode(), base64.b64decode(fixture["body"]), hashlib.sha256).hexdigest()
    status = _send(fixture, signature)
    assert 200 <= status < 300, f"expected a 2xx, got {status}"


@needs_env
@pytest.mark.parametrize("fixture", DELIVERIES, ids=[fixture["name"] for fixture in DELIVERIES])
def test_wrong_signature_is_refused(fixture):
    status = _send(fixture, secrets.token_hex(32))
    assert 400 <= status < 500, f"expected a 4xx for a forged request, got {status}"
`;

export function fixturePytest(exportedAt: string): FormatWriter {
  return {
    head: () => PYTEST_HEAD(exportedAt),
    // Base64 of JSON: no quoting of the payload's text can break the Python source.
    row: (delivery) => (delivery.bodyBase64 === null ? '' : `    _case("${Buffer.from(JSON.stringify(fixtureCase(delivery))).toString('base64')}"),\n`),
    tail: () => PYTEST_TAIL,
  };
}
