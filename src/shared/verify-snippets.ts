/**
 * "Verify it yourself": code that checks one delivery's signature the right way, in five
 * languages, with the delivery's own raw body and header. Each reads the secret from the
 * environment (REVIEWSENSE_SIGNING_SECRET), HMACs the raw bytes (never re-serialised JSON), checks
 * the length before the constant-time compare (Node's timingSafeEqual throws on unequal lengths,
 * which the spec's sample does not guard against), and prints "valid" or "invalid".
 */
export type SnippetLanguage = 'node' | 'python' | 'go' | 'ruby' | 'php';

export const SNIPPET_LANGUAGES: { id: SnippetLanguage; label: string }[] = [
  { id: 'node', label: 'Node.js' },
  { id: 'python', label: 'Python' },
  { id: 'go', label: 'Go' },
  { id: 'ruby', label: 'Ruby' },
  { id: 'php', label: 'PHP' },
];

export interface SnippetInput {
  /** The exact body bytes, base64. */
  bodyBase64: string;
  /** The X-ReviewSense-Signature header as received (empty when there was none). */
  signature: string;
}

/** Safe inside a string literal of all five languages as it is: no quote, escape or interpolation. */
const PLAIN = /^[A-Za-z0-9+/=_\-. ]*$/;

function quoted(value: string): string {
  return `"${value}"`;
}

/** The header as an expression: a literal when plain, otherwise decoded from base64 (exact, whatever it holds). */
function headerExpression(language: SnippetLanguage, header: string): string {
  if (PLAIN.test(header)) return quoted(header);
  // Shared with the renderer: no Buffer here.
  const encoded = quoted(btoa(Array.from(new TextEncoder().encode(header), (byte) => String.fromCharCode(byte)).join('')));
  switch (language) {
    case 'node':
      return `Buffer.from(${encoded}, 'base64').toString()`;
    case 'python':
      return `base64.b64decode(${encoded}).decode()`;
    case 'go':
      return `mustDecode(${encoded})`;
    case 'ruby':
      return `Base64.strict_decode64(${encoded})`;
    case 'php':
      return `base64_decode(${encoded})`;
  }
}

export function verificationSnippet(language: SnippetLanguage, input: SnippetInput): string {
  const body = quoted(input.bodyBase64);
  const signature = headerExpression(language, input.signature);
  switch (language) {
    case 'node':
      return `// node verify.mjs   (REVIEWSENSE_SIGNING_SECRET=whsec_… in the environment)
import { createHmac, timingSafeEqual } from 'node:crypto';

const rawBody = Buffer.from(${body}, 'base64'); // the bytes as received: never JSON.stringify(req.body)
const header = ${signature}; // X-ReviewSense-Signature

function verify(rawBody, header, secret) {
  const expected = Buffer.from(createHmac('sha256', secret).update(rawBody).digest('hex'));
  const received = Buffer.from(header);
  // timingSafeEqual throws on buffers of unequal length: check first.
  return received.length === expected.length && timingSafeEqual(expected, received);
}

const ok = verify(rawBody, header, process.env.REVIEWSENSE_SIGNING_SECRET ?? '');
console.log(ok ? 'valid' : 'invalid');
process.exitCode = ok ? 0 : 1;
`;
    case 'python':
      return `# python3 verify.py   (REVIEWSENSE_SIGNING_SECRET=whsec_… in the environment)
import base64, hashlib, hmac, os, sys

raw_body = base64.b64decode(${body})  # the bytes as received: never json.dumps(request.json)
header = ${signature}  # X-ReviewSense-Signature


def verify(raw_body: bytes, header: str, secret: str) -> bool:
    expected = hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()
    # Bytes, not str: compare_digest raises TypeError on a str with non-ASCII characters.
    return hmac.compare_digest(expected.encode(), header.encode())  # constant time; unequal lengths are simply False


ok = verify(raw_body, header, os.environ.get("REVIEWSENSE_SIGNING_SECRET", ""))
print("valid" if ok else "invalid")
sys.exit(0 if ok else 1)
`;
    case 'go':
      return `// go run verify.go   (REVIEWSENSE_SIGNING_SECRET=whsec_… in the environment)
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"os"
)

func verify(rawBody []byte, header string, secret string) bool {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(rawBody) // the bytes as received (io.ReadAll(r.Body)), never re-marshalled JSON
	expected := hex.EncodeToString(mac.Sum(nil))
	return hmac.Equal([]byte(expected), []byte(header)) // constant time; unequal lengths are false
}

func mustDecode(encoded string) string {
	decoded, _ := base64.StdEncoding.DecodeString(encoded)
	return string(decoded)
}

func main() {
	rawBody, _ := base64.StdEncoding.DecodeString(${body})
	header := ${signature} // X-ReviewSense-Signature
	if verify(rawBody, header, os.Getenv("REVIEWSENSE_SIGNING_SECRET")) {
		fmt.Println("valid")
		return
	}
	fmt.Println("invalid")
	os.Exit(1)
}
`;
    case 'ruby':
      return `# ruby verify.rb   (REVIEWSENSE_SIGNING_SECRET=whsec_… in the environment)
require "base64"
require "openssl"

raw_body = Base64.strict_decode64(${body}) # the bytes as received: request.raw_post, never params.to_json
header = ${signature} # X-ReviewSense-Signature

def verify(raw_body, header, secret)
  expected = OpenSSL::HMAC.hexdigest("SHA256", secret, raw_body)
  # secure_compare is constant time and false for unequal lengths.
  expected.bytesize == header.bytesize && OpenSSL.fixed_length_secure_compare(expected, header)
end

ok = verify(raw_body, header, ENV.fetch("REVIEWSENSE_SIGNING_SECRET", ""))
puts(ok ? "valid" : "invalid")
exit(ok ? 0 : 1)
`;
    case 'php':
      return `<?php
// php verify.php   (REVIEWSENSE_SIGNING_SECRET=whsec_… in the environment)
$rawBody = base64_decode(${body}); // the bytes as received: file_get_contents('php://input')
$header = ${signature}; // $_SERVER['HTTP_X_REVIEWSENSE_SIGNATURE']

function verify(string $rawBody, string $header, string $secret): bool {
    $expected = hash_hmac('sha256', $rawBody, $secret);
    return hash_equals($expected, $header); // constant time; unequal lengths are false
}

$ok = verify($rawBody, $header, getenv('REVIEWSENSE_SIGNING_SECRET') ?: '');
echo $ok ? "valid\\n" : "invalid\\n";
exit($ok ? 0 : 1);
`;
  }
}
