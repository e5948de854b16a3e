import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { checkCommand } from '../../../src/renderer/src/lib/check-report';
import { attemptCurl, toCurl } from '../../../src/renderer/src/lib/curl';
import type { Attempt } from '../../../src/shared/attempt';
import type { DeliveryDetail } from '../../../src/shared/delivery';
import { tempDir } from '../../helpers/temp-dir';

// Every copied command is run by a real bash (the commands are bash: `<(…)`, `$'…'`), with `curl`
// and `npx` replaced by functions that print their arguments NUL-separated (and the bytes of a
// file curl is told to read, base64), in an empty folder: the arguments must be exactly the ones
// meant, byte for byte, and nothing else may run (every hostile input tries to create ./x).

const FAKES = `
curl() {
  local arg
  for arg in "$@"; do
    case "$arg" in
      @/dev/fd/*) printf 'file:'; base64 -w0 < "\${arg#@}"; printf '\\0' ;;
      *) printf '%s\\0' "$arg" ;;
    esac
  done
}
npx() { printf '%s\\0' "$@"; }
`;

let folder: ReturnType<typeof tempDir>;
beforeEach(() => {
  folder = tempDir('hooklens-shell-');
});
afterEach(() => folder.cleanup());

/** bash, with the fakes, in the empty folder (no rc files: it would read ~/.bashrc, taking its socket stdin for rshd's). */
const bash = (command: string) =>
  spawnSync('bash', ['--norc', '--noprofile', '-c', `${FAKES}\n${command}`], { cwd: folder.path, env: { PATH: process.env.PATH, HOME: folder.path }, stdio: ['ignore', 'pipe', 'pipe'] });

/** The command's arguments as bytes; fails when it printed an error or left anything behind. */
function run(command: string): Buffer[] {
  const result = bash(command);
  expect(result.stderr.toString(), command).toBe('');
  expect(result.status, command).toBe(0);
  expect(readdirSync(folder.path), `a command ran: ${command}`).toEqual([]);
  const out = result.stdout;
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = out.indexOf(0); at !== -1; at = out.indexOf(0, from)) {
    parts.push(out.subarray(from, at));
    from = at + 1;
  }
  return parts;
}

const bytes = (text: string) => Buffer.from(text, 'utf8');
/** A header value as received: its bytes, one character per byte. */
const wire = (buffer: Buffer) => buffer.toString('latin1');
const file = (body: Buffer) => bytes(`file:${body.toString('base64')}`);

const HOSTILE = ['POST; touch x; #', '$(touch x)', '`touch x`', `'; touch x; echo '`, '"$(touch x)"', 'a\nb; touch x', "\\'$(touch x)"];

function delivery(overrides: Partial<DeliveryDetail>): DeliveryDetail {
  return {
    id: 1, receivedAt: 0, method: 'POST', path: '/hooks/reviewsense', eventId: null, eventType: null, signatureStatus: 'missing', duplicateOf: null, deliveryNumber: 1,
    unverifiedClaim: false, answerLost: null, lastAttempt: null, imported: true, forwardQueued: false, forwardNote: null, responseStatus: 200, bodySize: 0, contentType: null,
    rejection: null, headers: [], rawHeaders: null, receiverOrigin: null, bodyBase64: null, remoteAddress: null, signatureSecret: null, signatureDiagnosis: null, signatureExpected: [],
    signatureReceived: null, parseError: null, ...overrides,
  };
}

describe('Copy as cURL, run by bash', () => {
  it.each(HOSTILE)('a method %j is one argument, and runs nothing', (method) => {
    expect(run(toCurl(delivery({ method }), 'http://127.0.0.1:8787/hooks/reviewsense'))).toEqual([bytes('-X'), bytes(method), bytes('http://127.0.0.1:8787/hooks/reviewsense')]);
  });

  it('a URL, header values and a body full of shell syntax arrive as exactly those bytes', () => {
    const url = `http://127.0.0.1:8787/hooks/reviewsense/$(touch x)?a='\`touch x\`'&b="x";touch x`;
    const body = bytes(`{"review":"it's '$(touch x)' and \`touch x\`; echo \\"hi\\"",\n  "tab":"\t", "note":"Très bien ✓ 😀"}`);
    const headers: [string, string][] = HOSTILE.filter((value) => !value.includes('\n')).map((value, index) => [`X-Hostile-${index}`, value]);
    const args = run(toCurl(delivery({ headers: [['Content-Type', 'application/json'], ...headers], bodyBase64: body.toString('base64') }), url));
    expect(args).toEqual([
      bytes('-X'), bytes('POST'), bytes(url),
      bytes('-H'), bytes('Content-Type: application/json'),
      ...headers.flatMap(([name, value]) => [bytes('-H'), bytes(`${name}: ${value}`)]),
      bytes('--data-binary'), body,
    ]);
  });

  it('header values are sent as the bytes received: rawHeaders when kept, the text as UTF-8 otherwise; an empty one stays', () => {
    const euro = bytes('5 €');
    const latin1 = Buffer.from([0x63, 0x61, 0x66, 0xe9]);
    const exact = run(toCurl(delivery({ headers: [['X-Euro', '5 €'], ['X-Latin1', 'caf\u00e9']], rawHeaders: [['X-Euro', wire(euro)], ['X-Latin1', wire(latin1)], ['X-Empty', '']] }), 'http://h/'));
    expect(exact.slice(3)).toEqual([bytes('-H'), Buffer.concat([bytes('X-Euro: '), euro]), bytes('-H'), Buffer.concat([bytes('X-Latin1: '), latin1]), bytes('-H'), bytes('X-Empty;')]);
    const fromText = run(toCurl(delivery({ headers: [['X-Euro', '5 €']] }), 'http://h/'));
    expect(fromText.slice(3)).toEqual([bytes('-H'), Buffer.concat([bytes('X-Euro: '), euro])]);
  });

  it('a body with control characters, one that is binary, and one starting with @ go through base64, byte-exact', () => {
    for (const body of [bytes('line\r\nESC \u001b[2J; $(touch x)'), Buffer.from([0xff, 0x00, 0x27, 0x0a, 0x24, 0x28]), bytes('@/etc/passwd')]) {
      const args = run(toCurl(delivery({ bodyBase64: body.toString('base64') }), 'http://h/'));
      expect(args.slice(3)).toEqual([bytes('--data-binary'), file(body)]);
    }
  });

  it('a header name that is not an HTTP token (never a header, maybe an @file for -H) is left out', () => {
    expect(run(toCurl(delivery({ headers: [['@/etc/passwd', 'x'], ['Bad Name;touch x', 'y'], ['X-Ok', 'z']] }), 'http://h/')).slice(3)).toEqual([bytes('-H'), bytes('X-Ok: z')]);
  });

  it('a check probe’s request (an attempt) too', () => {
    const attempt = { method: '$(touch x)', target: "http://127.0.0.1:3000/hooks?q='$(touch x)'", requestHeaders: [['X-Note', '`touch x` €']], requestBodyBase64: bytes("'; touch x; '").toString('base64') } as Attempt;
    expect(run(attemptCurl(attempt))).toEqual([bytes('-X'), bytes('$(touch x)'), bytes(attempt.target), bytes('-H'), bytes('X-Note: `touch x` €'), bytes('--data-binary'), bytes("'; touch x; '")]);
  });
});

describe('the Check panel’s CLI command, run by bash', () => {
  it('is npx hooklens check with the target, a secret file and the count URL as single arguments, running nothing', () => {
    const target = "http://127.0.0.1:3000/hooks?a=$(touch x)&b=`touch x`;touch x'";
    const countUrl = 'http://127.0.0.1:3000/count?x="$(touch x)"';
    expect(run(checkCommand(target, countUrl)).map(String)).toEqual(['hooklens', 'check', target, '--secret-file', 'reviewsense-secret.txt', '--count-url', countUrl]);
  });

  it('names hosts beyond loopback with --allow-host, as single arguments', () => {
    expect(run(checkCommand('https://staging.example.com/hooks', null)).map(String)).toEqual(['hooklens', 'check', 'https://staging.example.com/hooks', '--secret-file', 'reviewsense-secret.txt', '--allow-host', 'staging.example.com']);
  });
});

it('the fakes see a command that would run something (the harness can tell)', () => {
  // The same harness on an unquoted command: ./x appears, and run() says so.
  expect(bash("curl -X POST; touch x; # 'http://h/'").status).toBe(0);
  expect(existsSync(`${folder.path}/x`)).toBe(true);
});
