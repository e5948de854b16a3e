// The fixture-node and fixture-pytest exports: what the files hold (every body, never a signature
// or a secret), and each run against a correct handler and one that accepts anything. Runs the
// built CLI (out/main/cli.js): build first with `npx electron-vite build`.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES } from '../../src/shared/reviewsense/catalogue';
import { bodies, CAPTURE_SECRET, HANDLER_SECRET, handlerScope, nodeFile, pytestFile, signatures, useCapturedFixtures, useFixtureFolder, wireHeaders } from './fixtures/capture';
import { expectEveryBodyTwice } from './fixtures/expect-requests';
import { pytestCounts, runNode, runPytest, tapCounts } from './fixtures/runners';

useFixtureFolder();
useCapturedFixtures();
const { handler } = handlerScope();

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
