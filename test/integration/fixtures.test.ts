import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Inspector } from '../../src/main/inspector/inspector';
import { sampleEvent } from '../../src/main/profile/samples';
import { sign } from '../../src/main/profile/signature';
import { EVENT_TYPES } from '../../src/shared/reviewsense/catalogue';
import { runCliToEnd } from '../helpers/cli';
import { handlers, type WebhookHandler } from '../helpers/handlers';
import { post } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';

// Runs the built CLI (out/main/cli.js): build first with `npx electron-vite build`.
// Runs the exported fixtures as a developer would: `node --test` and `python3 -m pytest` (CI
// installs python3-pytest), against the test handlers on real loopback ports.

/** What ReviewSense signed the captured deliveries with. */
const CAPTURE_SECRET = 'whsec_fixture_capture';
/** What the developer's own handler verifies with: the fixtures must sign with it at run time. */
const HANDLER_SECRET = 'whsec_fixture_handler';

let folder: ReturnType<typeof tempDir>;
let dataDir: string;
/** Every body captured, in id order (the fixtures hold one case per delivery). */
let bodies: Buffer[];
/** Every X-ReviewSense-Signature value captured. */
let signatures: string[];
/** The captured headers of each body, as the bytes received (one character per byte). */
let wireHeaders: [string, string][][];

/** As a client sends them: each value a string of its bytes. */
const wire = (text: string) => Buffer.from(text, 'utf8').toString('latin1');
const NON_ASCII_HEADERS = { 'x-euro': wire('5 €'), 'x-utf8': wire('café'), 'x-latin1': 'caf\xe9' };
let nodeFile: string;
let pytestFile: string;
/** How to run pytest here, or why it cannot run. */
let pytest: { python: string } | { problem: string };

const running: WebhookHandler[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((handler) => handler.close()));
});

async function handler(kind: 'correct' | 'acceptsAnything'): Promise<WebhookHandler> {
  const started = await handlers[kind](HANDLER_SECRET);
  running.push(started);
  return started;
}

async function capture(): Promise<void> {
  const inspector = new Inspector({ dataDir, runtimeSecrets: [{ label: 'current', value: CAPTURE_SECRET }], receiver: { port: 0 } });
  await inspector.start();
  const url = inspector.receiverUrl as string;
  try {
    const send = async (body: Buffer, headers: Record<string, string> = {}) => {
      const response = await post(url, body, { 'content-type': 'application/json', 'user-agent': 'ReviewSense-Webhooks/1.0', 'x-reviewsense-signature': sign(CAPTURE_SECRET, body), ...headers });
      expect(response.status).toBe(200);
    };
    const now = Date.parse('2026-04-24T14:30:00Z');
    for (const [index, type] of EVENT_TYPES.entries()) {
      const event = sampleEvent(type, { now: now + index, id: `evt_fixture_${index}` });
      // One pretty-printed: a handler that re-serialises would sign other bytes.
      await send(Buffer.from(index === 1 ? JSON.stringify(event, null, 2) : JSON.stringify(event)));
    }
    // A retry of the first (same bytes, same event id), a UTF-8 body with everything a quoted
    // literal trips on, a gzip-encoded body and a binary one.
    await send(Buffer.from(JSON.stringify(sampleEvent('review.analysed', { now, id: 'evt_fixture_0' }))));
    await send(Buffer.from(JSON.stringify(sampleEvent('review.responded', { now, id: 'evt_fixture_quotes', data: { response_text: 'Merci « Ana » ✓ 😀 "q" \\ \'\'\' ${x} `y` </script>\n' } as never }))));
    await send(gzipSync(Buffer.from(JSON.stringify(sampleEvent('quota.warning', { now, id: 'evt_fixture_gzip' })))), { 'content-encoding': 'gzip' });
    await send(Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x22, 0x27, 0x5c, 0x0a]), { 'content-type': 'application/octet-stream' });
    // Header values whose bytes are not ASCII: UTF-8 (€ is above U+00FF once decoded) and a
    // latin1 byte that is not UTF-8. The handler must get these bytes, not their decoded text.
    await send(Buffer.from(JSON.stringify(sampleEvent('review.analysed', { now, id: 'evt_fixture_header_bytes' }))), NON_ASCII_HEADERS);
  } finally {
    await inspector.stop();
  }
  const db = new Database(join(dataDir, 'hooklens.db'), { readonly: true });
  const rows = db.prepare('SELECT body, headers, raw_headers, signature_received FROM deliveries ORDER BY id').all() as { body: Buffer; headers: string; raw_headers: string | null; signature_received: string }[];
  db.close();
  bodies = rows.map((row) => row.body);
  wireHeaders = rows.map((row) => JSON.parse(row.raw_headers ?? row.headers) as [string, string][]);
  signatures = rows.flatMap((row) => [
    row.signature_received,
    ...(JSON.parse(row.headers) as [string, string][]).filter(([name]) => name.toLowerCase() === 'x-reviewsense-signature').map(([, value]) => value),
  ]);
}

function findPytest(): { python: string } | { problem: string } {
  const tried: string[] = [];
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-m', 'pytest', '--version'], { encoding: 'utf8' });
    if (probe.status === 0) return { python };
    tried.push(`${python} -m pytest --version: ${probe.error?.message ?? (probe.stderr || probe.stdout).trim()}`);
  }
  return { problem: `pytest is not available, so the fixture-pytest export cannot be run (install python3-pytest). Tried:\n${tried.join('\n')}` };
}

beforeAll(async () => {
  folder = tempDir('hooklens-fixtures-');
  dataDir = join(folder.path, 'data');
  await capture();
  nodeFile = join(folder.path, 'hooklens.test.mjs');
  pytestFile = join(folder.path, 'test_hooklens_fixtures.py');
  for (const [format, file] of [
    ['fixture-node', nodeFile],
    ['fixture-pytest', pytestFile],
  ] as const) {
    const result = await runCliToEnd(['export', '--data-dir', dataDir, '--format', format, '--out', file]);
    expect(result.code, result.stderr).toBe(0);
  }
  pytest = findPytest();
}, 60_000);

afterAll(() => folder.cleanup());

interface Run {
  code: number | null;
  output: string;
}

/** Runs a command to its end (killed if it outlives `boundMs`), without blocking this process's handlers. */
function run(command: string, args: string[], env: Record<string, string>, boundMs = 60_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: folder.path, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PYTHONDONTWRITEBYTECODE: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const bound = setTimeout(() => child.kill('SIGKILL'), boundMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(bound);
      resolve({ code, output });
    });
  });
}

function runNode(env: Record<string, string>): Promise<Run> {
  return run(process.execPath, ['--test', '--test-reporter=tap', nodeFile], env);
}

function runPytest(env: Record<string, string>): Promise<Run> {
  if ('problem' in pytest) throw new Error(pytest.problem);
  return run(pytest.python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', pytestFile], env);
}

/** node --test's TAP summary. */
function tapCounts(output: string) {
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? NaN);
  return { pass: count('pass'), fail: count('fail'), skipped: count('skipped') };
}

/** pytest -q's last line: "3 failed, 10 passed, 2 skipped in 0.52s". */
function pytestCounts(output: string) {
  const count = (name: string) => Number(new RegExp(`(\\d+) ${name}`).exec(output.trim().split('\n').at(-1) ?? '')?.[1] ?? 0);
  return { pass: count('passed'), fail: count('failed'), skipped: count('skipped') };
}

const hmac = (body: Buffer) => createHmac('sha256', HANDLER_SECRET).update(body).digest('hex');

/** The handler got every captured body byte-exact, once signed right (2xx) and once forged (4xx). */
function expectEveryBodyTwice(target: WebhookHandler, forgedStatus: number) {
  expect(target.requests).toHaveLength(bodies.length * 2);
  for (const body of bodies) {
    const received = target.requests.filter((request) => request.body.equals(body));
    expect(received.length, `requests carrying body ${body.toString('base64').slice(0, 40)}…`).toBeGreaterThanOrEqual(2);
    const signed = received.filter((request) => request.signature === hmac(body));
    const forged = received.filter((request) => request.signature !== hmac(body));
    expect(signed.length).toBeGreaterThanOrEqual(1);
    expect(forged.length).toBeGreaterThanOrEqual(1);
    for (const request of signed) expect(request.status).toBe(200);
    for (const request of forged) {
      expect(request.signature).toMatch(/^[0-9a-f]{64}$/);
      expect(request.status).toBe(forgedStatus);
    }
  }
  for (const request of target.requests) {
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/webhooks/reviewsense');
  }
  expectCapturedHeaderBytes(target);
}

const NOT_RESENT = new Set(['host', 'content-length', 'connection', 'x-reviewsense-signature']);

/** Every request carries its delivery's captured headers (all but connection ones and the signature), byte for byte. */
function expectCapturedHeaderBytes(target: WebhookHandler) {
  for (const [index, body] of bodies.entries()) {
    const expected = (wireHeaders[index] as [string, string][]).filter(([name]) => !NOT_RESENT.has(name.toLowerCase()));
    for (const request of target.requests.filter((candidate) => candidate.body.equals(body))) {
      const received: [string, string][] = [];
      for (let at = 0; at + 1 < request.rawHeaders.length; at += 2) received.push([(request.rawHeaders[at] as string).toLowerCase(), request.rawHeaders[at + 1] as string]);
      for (const [name, value] of expected) expect(received, `header ${name} of body #${index + 1}`).toContainEqual([name.toLowerCase(), value]);
    }
  }
  // The non-ASCII ones among them, spelled out: these bytes, not their decoded text.
  const withBytes = target.requests.filter((request) => request.rawHeaders.includes('x-euro'));
  expect(withBytes).toHaveLength(2);
  for (const request of withBytes) {
    const value = (name: string) => Buffer.from(request.rawHeaders[request.rawHeaders.indexOf(name) + 1] as string, 'latin1').toString('hex');
    expect(value('x-euro')).toBe(Buffer.from('5 €').toString('hex')); // 35 20 e2 82 ac
    expect(value('x-utf8')).toBe(Buffer.from('café').toString('hex')); // … c3 a9
    expect(value('x-latin1')).toBe('636166e9');
  }
}

describe('the fixture files hold the deliveries, never a signature or a secret', () => {
  it('captured twelve deliveries, all signed, one with header bytes that are not ASCII', () => {
    expect(bodies).toHaveLength(EVENT_TYPES.length + 5);
    expect(wireHeaders.filter((pairs) => pairs.some(([name]) => name === 'x-euro'))).toHaveLength(1);
    expect(new Set(signatures).size).toBeGreaterThanOrEqual(EVENT_TYPES.length + 3);
    for (const signature of signatures) expect(signature).toMatch(/^[0-9a-f]{64}$/);
  });

  it('fixture-node: no captured signature, no secret; every body, base64', () => {
    const text = readFileSync(nodeFile, 'utf8');
    for (const signature of signatures) expect(text).not.toContain(signature);
    expect(text).not.toContain(CAPTURE_SECRET);
    expect(text).not.toContain(HANDLER_SECRET);
    for (const body of bodies) expect(text).toContain(JSON.stringify(body.toString('base64')));
  });

  it('fixture-node: each case resends the headers without the signature or connection headers', () => {
    const text = readFileSync(nodeFile, 'utf8');
    const list = text.slice(text.indexOf('const deliveries = [\n') + 'const deliveries = [\n'.length, text.indexOf('\n];\n'));
    // Header bytes above 0x7f are escaped (\u00e2): the cases are ASCII whatever an editor does.
    expect(list).toMatch(/^[\x20-\x7e\n]*$/);
    expect(list).toContain('\\u00e2\\u0082\\u00ac');
    const cases = list.split('\n').map((line) => JSON.parse(line.trim().replace(/,$/, '')) as { name: string; headers: [string, string][]; body: string });
    expect(cases.map((entry) => Buffer.from(entry.body, 'base64'))).toEqual(bodies);
    for (const entry of cases) {
      const names = entry.headers.map(([name]) => name.toLowerCase());
      expect(names).toContain('content-type');
      expect(names).not.toContain('x-reviewsense-signature');
      for (const hop of ['host', 'content-length', 'connection', 'transfer-encoding']) expect(names).not.toContain(hop);
    }
    expect(cases.some((entry) => entry.headers.some(([name, value]) => name.toLowerCase() === 'content-encoding' && value === 'gzip'))).toBe(true);
  });

  it('fixture-pytest: no captured signature, no secret, also inside its base64-encoded cases', () => {
    const text = readFileSync(pytestFile, 'utf8');
    const encoded = [...text.matchAll(/_case\("([A-Za-z0-9+/=]+)"\)/g)].map((match) => match[1] as string);
    expect(encoded).toHaveLength(bodies.length);
    const decoded = encoded.map((value) => Buffer.from(value, 'base64').toString('utf8'));
    for (const haystack of [text, ...decoded]) {
      for (const signature of signatures) expect(haystack).not.toContain(signature);
      expect(haystack).not.toContain(CAPTURE_SECRET);
      expect(haystack).not.toContain(HANDLER_SECRET);
    }
    const cases = decoded.map((json) => JSON.parse(json) as { headers: [string, string][]; body: string });
    expect(cases.map((entry) => Buffer.from(entry.body, 'base64'))).toEqual(bodies);
    for (const entry of cases) expect(entry.headers.map(([name]) => name.toLowerCase())).not.toContain('x-reviewsense-signature');
  });
});

describe('fixture-node, run with node --test', () => {
  it('passes against a correct handler: every body byte-exact, signed with its secret, forgeries refused', async () => {
    const target = await handler('correct');
    const result = await runNode({ REVIEWSENSE_WEBHOOK_URL: target.url, REVIEWSENSE_SIGNING_SECRET: HANDLER_SECRET });
    expect(result.code, result.output).toBe(0);
    expect(tapCounts(result.output)).toEqual({ pass: 1 + bodies.length * 2, fail: 0, skipped: 0 });
    expectEveryBodyTwice(target, 401);
  });

  it('fails against a handler that accepts anything: exactly the wrong-signature tests fail', async () => {
    const target = await handler('acceptsAnything');
    const result = await runNode({ REVIEWSENSE_WEBHOOK_URL: target.url, REVIEWSENSE_SIGNING_SECRET: HANDLER_SECRET });
    expect(result.code).not.toBe(0);
    expect(tapCounts(result.output)).toEqual({ pass: 1 + bodies.length, fail: bodies.length, skipped: 0 });
    const failed = [...result.output.matchAll(/^not ok \d+ - (.*)$/gm)].map((match) => match[1] as string);
    expect(failed).toHaveLength(bodies.length);
    for (const name of failed) expect(name).toMatch(/wrong signature → 4xx$/);
    expect(result.output).toContain('expected a 4xx for a forged request, got 200');
    expectEveryBodyTwice(target, 200);
  });

  it('fails with the environment unset, naming both variables, and sends nothing', async () => {
    const result = await runNode({});
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('REVIEWSENSE_WEBHOOK_URL');
    expect(result.output).toContain('REVIEWSENSE_SIGNING_SECRET');
    expect(result.output).toContain('Set REVIEWSENSE_WEBHOOK_URL');
    expect(tapCounts(result.output)).toMatchObject({ fail: 1, skipped: bodies.length * 2 });
  });

  it('fails with only the secret unset, naming it', async () => {
    const target = await handler('correct');
    const result = await runNode({ REVIEWSENSE_WEBHOOK_URL: target.url });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('Set REVIEWSENSE_SIGNING_SECRET');
    expect(target.requests).toHaveLength(0);
  });
});

describe('fixture-pytest, run with python3 -m pytest', () => {
  it('passes against a correct handler: every body byte-exact, signed with its secret, forgeries refused', async () => {
    const target = await handler('correct');
    const result = await runPytest({ REVIEWSENSE_WEBHOOK_URL: target.url, REVIEWSENSE_SIGNING_SECRET: HANDLER_SECRET });
    expect(result.code, result.output).toBe(0);
    expect(pytestCounts(result.output)).toEqual({ pass: 1 + bodies.length * 2, fail: 0, skipped: 0 });
    expectEveryBodyTwice(target, 401);
  });

  it('fails against a handler that accepts anything: exactly the wrong-signature tests fail', async () => {
    const target = await handler('acceptsAnything');
    const result = await runPytest({ REVIEWSENSE_WEBHOOK_URL: target.url, REVIEWSENSE_SIGNING_SECRET: HANDLER_SECRET });
    expect(result.code).not.toBe(0);
    expect(pytestCounts(result.output)).toEqual({ pass: 1 + bodies.length, fail: bodies.length, skipped: 0 });
    const failed = [...result.output.matchAll(/^FAILED \S+::(\w+)\[/gm)].map((match) => match[1]);
    expect(failed).toEqual(Array(bodies.length).fill('test_wrong_signature_is_refused'));
    expect(result.output).toContain('expected a 4xx for a forged request, got 200');
    expectEveryBodyTwice(target, 200);
  });

  it('fails with the environment unset, naming the variable, and sends nothing', async () => {
    const result = await runPytest({});
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('Set REVIEWSENSE_WEBHOOK_URL');
    expect(pytestCounts(result.output)).toEqual({ pass: 0, fail: 1, skipped: bodies.length * 2 });
  });

  it('fails with only the secret unset, naming it', async () => {
    const target = await handler('correct');
    const result = await runPytest({ REVIEWSENSE_WEBHOOK_URL: target.url });
    expect(result.code).not.toBe(0);
    expect(result.output).toContain('Set REVIEWSENSE_SIGNING_SECRET');
    expect(target.requests).toHaveLength(0);
  });
});

describe('test names from a captured event id and type: no raw control characters reach the runner', () => {
  // An event id and type are the sender's text: ESC sequences (clear the screen, retitle the
  // window), CR (overwrite the line) and LF (a fake line of output) must arrive as escapes.
  const HOSTILE_ID = 'evt_\u001b[2J\u001b]0;pwned\u0007\r\nok 99 - fake';
  const HOSTILE_TYPE = 'review.analysed\u001b[31m\r';
  let files: { node: string; pytest: string };

  beforeAll(async () => {
    const hostileDir = join(folder.path, 'hostile');
    const inspector = new Inspector({ dataDir: hostileDir, runtimeSecrets: [{ label: 'current', value: CAPTURE_SECRET }], receiver: { port: 0 } });
    await inspector.start();
    try {
      const body = Buffer.from(JSON.stringify({ ...sampleEvent('review.analysed', { now: Date.parse('2026-04-24T14:30:00Z') }), id: HOSTILE_ID, type: HOSTILE_TYPE }));
      const response = await post(inspector.receiverUrl as string, body, { 'content-type': 'application/json', 'x-reviewsense-signature': sign(CAPTURE_SECRET, body) });
      expect(response.status).toBe(200);
      expect(inspector.listDeliveries()[0]).toMatchObject({ eventId: HOSTILE_ID, eventType: HOSTILE_TYPE });
    } finally {
      await inspector.stop();
    }
    files = { node: join(folder.path, 'hostile.test.mjs'), pytest: join(folder.path, 'test_hostile.py') };
    for (const [format, file] of [['fixture-node', files.node], ['fixture-pytest', files.pytest]] as const) {
      const result = await runCliToEnd(['export', '--data-dir', hostileDir, '--format', format, '--out', file]);
      expect(result.code, result.stderr).toBe(0);
    }
  }, 60_000);

  /** Control characters other than the line ends and tabs a runner writes itself. */
  const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

  it.each(['tap', 'spec'])('node --test (%s reporter) passes and prints the names escaped', async (reporter) => {
    const target = await handler('correct');
    const result = await run(process.execPath, ['--test', `--test-reporter=${reporter}`, files.node], { REVIEWSENSE_WEBHOOK_URL: target.url, REVIEWSENSE_SIGNING_SECRET: HANDLER_SECRET });
    expect(result.code, result.output).toBe(0);
    expect(RAW_CONTROL.exec(result.output)?.[0], 'a raw control character in the runner output').toBeUndefined();
    // Escaped (TAP escapes the backslash once more), so the line stays one line.
    expect(result.output).toMatch(/evt_\\+x1b\[2J\\+x1b\]0;pwned\\+x07\\+r\\+nok 99 - fake/);
    expect(result.output).not.toMatch(/^ok 99 - fake/m);
    expect(target.requests).toHaveLength(2);
  });

  it('pytest -v passes and prints the names escaped', async () => {
    if ('problem' in pytest) throw new Error(pytest.problem);
    const target = await handler('correct');
    const result = await run(pytest.python, ['-m', 'pytest', '-v', '-p', 'no:cacheprovider', files.pytest], { REVIEWSENSE_WEBHOOK_URL: target.url, REVIEWSENSE_SIGNING_SECRET: HANDLER_SECRET });
    expect(result.code, result.output).toBe(0);
    expect(RAW_CONTROL.exec(result.output)?.[0], 'a raw control character in the runner output').toBeUndefined();
    expect(result.output).toContain('x1b[2J');
    expect(target.requests).toHaveLength(2);
  });
});
