import type { ExportedDelivery } from '../../shared/exchange';
import { exactHeaders } from '../util/header-pairs';
import { terminalSafe } from '../util/terminal-text';
import { resendableHeaders, type FormatWriter } from './format-writer';

/**
 * What a fixture resends: no signature (it signs at run time), no secret, the exact bytes. Header
 * values are wire strings (one character per byte), which both runners send as those bytes.
 */
function fixtureCase(delivery: ExportedDelivery) {
  return {
    // The id and type are the sender's text and the runner prints the name: control characters
    // (an ESC sequence, a CR, a LF starting a fake result line) go in as escapes.
    name: terminalSafe(`#${delivery.id} ${delivery.eventType ?? `${delivery.method} ${delivery.path}`}${delivery.eventId ? ` ${delivery.eventId}` : ''}`),
    headers: resendableHeaders(exactHeaders(delivery.headers, delivery.rawHeaders)),
    body: delivery.bodyBase64 ?? '',
  };
}

/** JSON with every character outside ASCII escaped (\u00e9): a valid JS literal that no editor or encoding can alter. */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const NODE_HEAD = (exportedAt: string) => `// Hooklens fixtures, exported ${exportedAt}: ReviewSense deliveries as tests for your handler.
// Run: REVIEWSENSE_WEBHOOK_URL=http://localhost:3000/webhooks REVIEWSENSE_SIGNING_SECRET=whsec_… node --test <this file>
// Each delivery is sent byte-exact, signed now with your secret, and must get a 2xx; then the same
// body with a wrong signature must get a 4xx. No signature and no secret is stored in this file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

const url = process.env.REVIEWSENSE_WEBHOOK_URL;
const secret = process.env.REVIEWSENSE_SIGNING_SECRET;

// node:http, not fetch: fetch refuses a header value holding a character above U+00FF, and each
// value here is a string of its exact bytes (one character per byte), which node:http writes as
// those bytes. It follows no redirect, as ReviewSense follows none.
function send(fixture, signature) {
  const body = Buffer.from(fixture.body, 'base64');
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const request = (target.protocol === 'https:' ? httpsRequest : httpRequest)(target, { method: 'POST', agent: false, signal: AbortSignal.timeout(10_000) }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode, text: Buffer.concat(chunks).toString() }));
      response.on('error', reject);
    });
    request.on('error', reject);
    // A repeated header keeps every value (setHeader with a list writes one line each).
    const byName = new Map();
    for (const [name, value] of fixture.headers) {
      const key = name.toLowerCase();
      if (!byName.has(key)) byName.set(key, { name, values: [] });
      byName.get(key).values.push(value);
    }
    for (const { name, values } of byName.values()) request.setHeader(name, values.length === 1 ? values[0] : values);
    request.setHeader('X-ReviewSense-Signature', signature);
    request.setHeader('Content-Length', body.length);
    request.end(body);
  });
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
    assert.ok(response.status >= 200 && response.status < 300, \`expected a 2xx, got \${response.status}: \${response.text}\`);
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
    row: (delivery) => (delivery.bodyBase64 === null ? '' : `  ${asciiJson(fixtureCase(delivery))},\n`),
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
import http.client
import json
import os
import secrets
import urllib.parse

import pytest

URL = os.environ.get("REVIEWSENSE_WEBHOOK_URL")
SECRET = os.environ.get("REVIEWSENSE_SIGNING_SECRET")


def _case(encoded):
    return json.loads(base64.b64decode(encoded))


def _send(fixture, signature):
    # http.client: the headers in order, repeats kept, each value sent as its exact bytes (a
    # string of one character per byte); no redirect followed, as ReviewSense follows none.
    body = base64.b64decode(fixture["body"])
    target = urllib.parse.urlsplit(URL)
    connection_class = http.client.HTTPSConnection if target.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(target.hostname, target.port or (443 if target.scheme == "https" else 80), timeout=10)
    try:
        connection.putrequest("POST", (target.path or "/") + ("?" + target.query if target.query else ""), skip_accept_encoding=True)
        for name, value in fixture["headers"]:
            connection.putheader(name, value.encode("latin-1"))
        connection.putheader("X-ReviewSense-Signature", signature)
        connection.putheader("Content-Length", str(len(body)))
        connection.endheaders(body)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


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
