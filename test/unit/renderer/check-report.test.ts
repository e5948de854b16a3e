import { describe, expect, it } from 'vitest';
import { checkCommand, reportJson, sortProbes } from '../../../src/renderer/src/lib/check-report';
import { attemptCurl } from '../../../src/renderer/src/lib/curl';
import type { Attempt } from '../../../src/shared/attempt';
import type { ProbeResult } from '../../../src/shared/check';

function probe(name: string, ok: boolean, group: ProbeResult['group']): ProbeResult {
  return { name, ok, group, expected: 'e', got: 'g', ms: 3, advice: ok ? null : 'fix it', warning: null, attempts: [] };
}

describe('check report', () => {
  it('sorts failing probes first, then forgery, delivery, idempotency, side effects, then by name', () => {
    const sorted = sortProbes([
      probe('delivers webhook.test', true, 'delivery'),
      probe('same event twice, at the same time', false, 'idempotency'),
      probe('forged: missing signature', true, 'forgery'),
      probe('delivers review.analysed', false, 'delivery'),
      probe('malformed: upper-case', false, 'forgery'),
    ]);
    expect(sorted.map((entry) => entry.name)).toEqual([
      'malformed: upper-case',
      'delivers review.analysed',
      'same event twice, at the same time',
      'forged: missing signature',
      'delivers webhook.test',
    ]);
  });

  it('copies the report in the CLI --json shape: ok, target, and six fields per probe', () => {
    const report = JSON.parse(reportJson({ ok: false, target: 'http://localhost:3000/hooks', probes: [probe('forged: missing signature', false, 'forgery')] })) as unknown;
    expect(report).toEqual({
      ok: false,
      target: 'http://localhost:3000/hooks',
      probes: [{ name: 'forged: missing signature', ok: false, expected: 'e', got: 'g', ms: 3, advice: 'fix it' }],
    });
  });

  it('builds the CLI command with a secret file (never a secret), the count URL, and hosts beyond loopback', () => {
    expect(checkCommand('http://localhost:3000/webhooks', null)).toBe('npx hooklens check http://localhost:3000/webhooks --secret-file reviewsense-secret.txt');
    expect(checkCommand('http://127.0.0.1:3000/hooks?a=1&b=2', 'http://127.0.0.1:3000/count')).toBe(
      "npx hooklens check 'http://127.0.0.1:3000/hooks?a=1&b=2' --secret-file reviewsense-secret.txt --count-url http://127.0.0.1:3000/count",
    );
    expect(checkCommand('https://staging.example.com/hooks', null)).toBe('npx hooklens check https://staging.example.com/hooks --secret-file reviewsense-secret.txt --allow-host staging.example.com');
  });

  it('copies a probe request as curl with the exact bytes, to the same target', () => {
    const attempt = {
      method: 'POST',
      target: 'http://127.0.0.1:3000/hooks',
      requestHeaders: [
        ['Content-Type', 'application/json'],
        ['Content-Length', '9'],
        ['X-ReviewSense-Signature', 'ab'],
      ],
      requestBodyBase64: Buffer.from('{"a":"\'"}').toString('base64'),
    } as Attempt;
    expect(attemptCurl(attempt)).toBe(
      ["curl -X POST 'http://127.0.0.1:3000/hooks'", "  -H 'Content-Type: application/json'", "  -H 'X-ReviewSense-Signature: ab'", `  --data-binary '{"a":"'\\''"}'`].join(' \\\n'),
    );
  });
});
