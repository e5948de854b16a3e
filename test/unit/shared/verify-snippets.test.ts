import { spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifySignature } from '../../../src/main/profile/signature';
import { verificationSnippet, type SnippetLanguage } from '../../../src/shared/verify-snippets';
import { tempDir } from '../../helpers/temp-dir';

// The Node and Python snippets are run for real (node and python3 are here). Go, Ruby and PHP
// have no toolchain on this machine or in CI, so those snippets are checked as text only: they
// embed the same body and header and compare in constant time.

const SECRET = 'whsec_snippet_secret';

/** UTF-8 with everything that breaks a naively quoted literal in one of the five languages. */
const TRICKY = Buffer.from(
  JSON.stringify({
    id: 'evt_snippet',
    type: 'review.analysed',
    created_at: '2026-04-24T14:30:00Z',
    api_version: 'v1',
    data: {
      review: 'Il a dit "génial" \\ puis \'\'\' ensuite ${process.exit(3)} #{`id`} $HOME <?php ?>\n\t— ✓ 😀',
      draft: "''' \"\"\" \\' \\\" \\\\n",
      lines: 'one\r\ntwo\nthree',
    },
  }),
  'utf8',
);

const sign = (body: Buffer) => createHmac('sha256', SECRET).update(body).digest('hex');

let folder: ReturnType<typeof tempDir>;
beforeAll(() => {
  folder = tempDir('hooklens-snippets-');
});
afterAll(() => folder.cleanup());

/** python3 that can run a script (the test fails, with a reason, when there is none). */
function python(): string {
  for (const candidate of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0) return candidate;
  }
  throw new Error('No python3 found (tried python3 and /usr/bin/python3): the Python snippet cannot be run. Install python3.');
}

let counter = 0;
/** Writes the snippet to a file and runs it as its comment says, with the secret in the environment. */
function run(language: 'node' | 'python', body: Buffer, signature: string, secret: string | null = SECRET) {
  const source = verificationSnippet(language, { bodyBase64: body.toString('base64'), signature });
  const file = join(folder.path, `verify-${counter++}.${language === 'node' ? 'mjs' : 'py'}`);
  writeFileSync(file, source);
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...(secret === null ? {} : { REVIEWSENSE_SIGNING_SECRET: secret }) };
  const result = spawnSync(language === 'node' ? process.execPath : python(), [file], { cwd: folder.path, env, encoding: 'utf8', timeout: 30_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr, source };
}

describe.each(['node', 'python'] as const)('the %s snippet, run for real', (language) => {
  it('prints "valid" and exits 0 for the delivery as received', () => {
    const result = run(language, TRICKY, sign(TRICKY));
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('valid\n');
    expect(result.code).toBe(0);
  });

  it('embeds the body losslessly: its own tricky text never appears raw in the source', () => {
    const { source } = run(language, TRICKY, sign(TRICKY));
    expect(source).toContain(TRICKY.toString('base64'));
    expect(source).not.toContain('${process.exit(3)}');
    expect(source).not.toContain("'''");
  });

  it('prints "invalid" and exits 1 when one byte of the body differs', () => {
    const tampered = Buffer.from(TRICKY);
    const at = tampered.indexOf('génial');
    expect(at).toBeGreaterThan(0);
    tampered[at] = (tampered[at] as number) ^ 0x01; // g → f
    expect(tampered.equals(TRICKY)).toBe(false);
    const result = run(language, tampered, sign(TRICKY));
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('invalid\n');
    expect(result.code).toBe(1);
  });

  it('prints "invalid" and exits 1 under another secret', () => {
    const result = run(language, TRICKY, sign(TRICKY), 'whsec_someone_else');
    expect(result.stdout).toBe('invalid\n');
    expect(result.code).toBe(1);
  });

  it('prints "invalid" without the secret in the environment (it does not verify with an empty key by accident)', () => {
    const result = run(language, TRICKY, sign(TRICKY), null);
    expect(result.stdout).toBe('invalid\n');
    expect(result.code).toBe(1);
  });

  it.each([
    ['a digest one character short', () => sign(TRICKY).slice(0, 63)],
    ['a digest one character long', () => `${sign(TRICKY)}0`],
    ['an empty header (none was sent)', () => ''],
    ['a sha256= prefixed digest', () => `sha256=${sign(TRICKY)}`],
  ])('prints "invalid" for %s, without a crash', (_name, header) => {
    const result = run(language, TRICKY, header());
    // Node's timingSafeEqual throws RangeError on unequal lengths: it must never be reached.
    expect(result.stderr).toBe('');
    expect(result.stderr).not.toMatch(/RangeError|ERR_CRYPTO_TIMING_SAFE_EQUAL_LENGTH|Traceback/);
    expect(result.stdout).toBe('invalid\n');
    expect(result.code).toBe(1);
  });

  it('an empty body verifies too (the HMAC of zero bytes)', () => {
    const empty = Buffer.alloc(0);
    expect(run(language, empty, sign(empty)).stdout).toBe('valid\n');
  });

  it('a binary, non-UTF-8 body verifies byte-exact', () => {
    const binary = Buffer.from(Array.from({ length: 256 }, (_, index) => index));
    expect(run(language, binary, sign(binary)).stdout).toBe('valid\n');
  });
});

describe.each(['node', 'python'] as const)('%s: a header Hooklens judged malformed stays unverifiable in the snippet', (language) => {
  // The snippet is "verify it yourself" with the header as received. A header that is the right
  // digest wrapped in other characters is malformed to Hooklens and fails any handler that
  // compares the header it got; the snippet must not clean it into a valid one.
  it.each([
    ['wrapped in double quotes', (digest: string) => `"${digest}"`],
    ['wrapped in single quotes', (digest: string) => `'${digest}'`],
    ['followed by a semicolon', (digest: string) => `${digest};`],
  ])('a digest %s is "invalid", as Hooklens judged it', (_name, wrap) => {
    const header = wrap(sign(TRICKY));
    expect(verifySignature(TRICKY, [header], [{ id: 'current', label: 'current', value: SECRET }]).status).toBe('malformed');
    const result = run(language, TRICKY, header);
    expect(result.stdout).toBe('invalid\n');
    expect(result.code).toBe(1);
  });
});

/** Header values that would run code if pasted into a literal of one of the five languages unescaped. */
const HOSTILE_HEADERS = [
  `"; require('fs').writeFileSync('x', ''); "`,
  `'); open('x', 'w'); print('`,
  '${require(`fs`).writeFileSync(`x`, ``)}',
  '#{File.write("x", "")}',
  '{$x} ".file_put_contents("x","")."',
  '"+os.WriteFile("x", nil, 0644)+"',
  '\\"; touch x; \\',
  'line\nbreak \u2028 € \u0000',
];

describe.each(['node', 'python'] as const)('%s: a hostile signature header is a literal, never code', (language) => {
  it.each(HOSTILE_HEADERS)('%j: runs, prints "invalid", and creates nothing', (header) => {
    const result = run(language, TRICKY, header);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('invalid\n');
    expect(result.code).toBe(1);
    expect(existsSync(join(folder.path, 'x'))).toBe(false);
  });
});

describe('the Go, Ruby and PHP snippets (text only: no toolchains here)', () => {
  it.each(['go', 'ruby', 'php'] as const)('%s embeds a hostile header only as a base64 literal', (language) => {
    for (const header of HOSTILE_HEADERS) {
      const source = verificationSnippet(language, { bodyBase64: TRICKY.toString('base64'), signature: header });
      expect(source).not.toContain(header);
      expect(source).toContain(`"${Buffer.from(header).toString('base64')}"`);
    }
  });

  const signature = sign(TRICKY);
  const input = { bodyBase64: TRICKY.toString('base64'), signature };
  const constantTime: Record<Exclude<SnippetLanguage, 'node' | 'python'>, RegExp> = {
    go: /hmac\.Equal\(\[\]byte\(expected\), \[\]byte\(header\)\)/,
    ruby: /OpenSSL\.fixed_length_secure_compare\(expected, header\)/,
    php: /hash_equals\(\$expected, \$header\)/,
  };

  it.each(['go', 'ruby', 'php'] as const)('%s embeds the same base64 body and header and compares in constant time', (language) => {
    const source = verificationSnippet(language, input);
    expect(source).toContain(`"${input.bodyBase64}"`);
    expect(source).toContain(`"${signature}"`);
    expect(source).toMatch(constantTime[language]);
    // Never a plain equality on the digest.
    expect(source).not.toMatch(/expected\s*===?\s*header|header\s*===?\s*expected/);
    // The secret comes from the environment, never the snippet.
    expect(source).toContain('REVIEWSENSE_SIGNING_SECRET');
    expect(source).not.toContain(SECRET);
  });

  it('ruby checks the length first: fixed_length_secure_compare raises on unequal lengths', () => {
    expect(verificationSnippet('ruby', input)).toMatch(/expected\.bytesize == header\.bytesize && OpenSSL\.fixed_length_secure_compare/);
  });

  it('all five embed one identical body literal and header literal', () => {
    const languages: SnippetLanguage[] = ['node', 'python', 'go', 'ruby', 'php'];
    for (const language of languages) {
      const source = verificationSnippet(language, input);
      expect(source.split(`"${input.bodyBase64}"`)).toHaveLength(2);
      expect(source.split(`"${signature}"`)).toHaveLength(2);
    }
  });

  it('node checks the length before timingSafeEqual; python uses compare_digest', () => {
    expect(verificationSnippet('node', input)).toMatch(/received\.length === expected\.length && timingSafeEqual\(expected, received\)/);
    expect(verificationSnippet('python', input)).toMatch(/hmac\.compare_digest\(expected\.encode\(\), header\.encode\(\)\)/);
  });
});
