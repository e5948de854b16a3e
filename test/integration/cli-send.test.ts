// `hooklens send`, the built CLI (out/main/cli.js: build first with `npx electron-vite build`):
// each event type, the signature variants, --repeat, --data, --file, exit codes and bad usage.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fingerprint } from '../../src/main/profile/signature';
import { EVENT_TYPES } from '../../src/shared/reviewsense/catalogue';
import { startApp, valuesOf, type ReceivedRequest, type TestApp } from '../helpers/app-server';
import { runCliToEnd } from '../helpers/cli';
import { startSpecHandler } from '../helpers/spec-handler';
import { tempDir } from '../helpers/temp-dir';
import { appScope, expectUsage, hmac, SECRET, signatureOf } from './cli-send-replay/harness';

const { app, apps } = appScope();

describe('hooklens send', () => {
  it('sends one event signed with the secret, prints one attempt line, exits 0', async () => {
    const target = await app();
    const url = target.url('/webhooks');
    const result = await runCliToEnd(['send', 'review.analysed', '--to', url, '--secret', SECRET, '--json']);

    expect(result.code).toBe(0);
    expect(target.received).toHaveLength(1);
    const [received] = target.received as [ReceivedRequest];
    expect(signatureOf(received)).toEqual([hmac(SECRET, received.body)]);
    expect(valuesOf(received.headers, 'content-length')).toEqual([String(received.body.length)]);
    const event = JSON.parse(received.body.toString()) as { id: string; type: string; api_version: string };
    expect(event).toMatchObject({ type: 'review.analysed', api_version: 'v1', id: expect.stringMatching(/^evt_/) });

    const signedWith = { label: '--secret 1', fingerprint: fingerprint(SECRET) };
    expect(result.lines).toEqual([
      { event: 'attempt', kind: 'send', target: url, deliveryId: null, status: 200, ms: expect.any(Number), error: null, delivered: true, queued: false, expect: 'accept', ok: true, signedWith },
    ]);
    expect(Object.keys(result.lines[0] ?? {})).toEqual(['event', 'kind', 'target', 'deliveryId', 'status', 'ms', 'error', 'delivered', 'queued', 'expect', 'ok', 'signedWith']);
    expect(result.stderr).toMatch(/send {2}→ http:\/\/127\.0\.0\.1:\d+\/webhooks {2}\(signed with '--secret 1' \([0-9a-f]{8}\)\) {2}← 200 in \d+ ms {2}✓ would count as delivered/);
  });

  it.each(EVENT_TYPES)('sends %s as the spec handler accepts it', async (type) => {
    const handler = await startSpecHandler(SECRET);
    apps.push(handler);
    const result = await runCliToEnd(['send', type, '--to', handler.url(), '--secret', SECRET, '--json']);
    expect(result.code).toBe(0);
    expect(result.lines[0]).toMatchObject({ status: 200, delivered: true });
    expect((JSON.parse(handler.received[0]?.body.toString() ?? '{}') as { type: string }).type).toBe(type);
  });

  it.each(['none', 'invalid', 'tampered'])('--signature %s: the spec handler rightly answers 401, exit 0', async (variant) => {
    const handler = await startSpecHandler(SECRET);
    apps.push(handler);
    const result = await runCliToEnd(['send', 'review.flagged', '--to', handler.url(), '--secret', SECRET, '--signature', variant, '--json']);
    expect(result.code).toBe(0);
    expect(result.lines).toEqual([expect.objectContaining({ event: 'attempt', status: 401, error: null, delivered: false, expect: 'refuse', ok: true })]);
    expect(result.stderr).toContain('✓ rightly refused (answered 401)');
    const [received] = handler.received as [ReceivedRequest];
    if (variant === 'none') expect(signatureOf(received)).toEqual([]);
    else expect(signatureOf(received)).toHaveLength(1);
  });

  it('--repeat 3 sends the same event three times, same bytes, same id, same signature', async () => {
    const target = await app();
    const result = await runCliToEnd(['send', 'quota.warning', '--to', target.url(), '--secret', SECRET, '--repeat', '3', '--json']);
    expect(result.code).toBe(0);
    expect(target.received).toHaveLength(3);
    const [first] = target.received as [ReceivedRequest];
    for (const received of target.received) {
      expect(received.body.equals(first.body)).toBe(true);
      expect(signatureOf(received)).toEqual([hmac(SECRET, first.body)]);
    }
    expect(new Set(target.received.map((received) => (JSON.parse(received.body.toString()) as { id: string }).id)).size).toBe(1);
    expect(result.lines).toHaveLength(3);
    expect(result.lines.every((line) => line.event === 'attempt' && line.delivered === true)).toBe(true);
  });

  it('--repeat against a failing app: each failure names the next retry, exit 1', async () => {
    const target = await app((_request, response) => response.writeHead(500).end('down'));
    const result = await runCliToEnd(['send', 'webhook.test', '--to', target.url(), '--secret', SECRET, '--repeat', '3', '--json']);
    expect(result.code).toBe(1);
    expect(target.received).toHaveLength(3);
    expect(result.lines.map((line) => [line.status, line.delivered])).toEqual([
      [500, false],
      [500, false],
      [500, false],
    ]);
    const verdicts = result.stderr.trim().split('\n').map((line) => line.split('✗ ')[1]);
    expect(verdicts).toEqual([
      'would fail (answered 500): retry #1 in 5 minutes',
      'would fail (answered 500): retry #2 in 30 minutes',
      'would fail (answered 500): retry #3 in 2 hours',
    ]);
  });

  it('--data is deep-merged into the generated event\'s data', async () => {
    const target = await app();
    const result = await runCliToEnd(['send', 'review.analysed', '--to', target.url(), '--secret', SECRET, '--data', '{"score":12}']);
    expect(result.code).toBe(0);
    const [received] = target.received as [ReceivedRequest];
    const event = JSON.parse(received.body.toString()) as { type: string; data: Record<string, unknown> };
    expect(event.type).toBe('review.analysed');
    expect(event.data).toEqual({
      analysis_id: expect.stringMatching(/^rs_ana_/),
      review_id: expect.stringMatching(/^wc_rev_\d+$/),
      sentiment: 'positive',
      score: 12,
      topics: ['shipping', 'quality'],
      response_draft: 'Thank you for your kind words!...',
    });
    expect(signatureOf(received)).toEqual([hmac(SECRET, received.body)]);
  });

  it('--data merges nested objects key by key', async () => {
    const target = await app();
    const result = await runCliToEnd(['send', 'quota.exceeded', '--to', target.url(), '--secret', SECRET, '--data', '{"usage":10500,"extra":{"note":"x"}}']);
    expect(result.code).toBe(0);
    const event = JSON.parse(target.received[0]?.body.toString() ?? '{}') as { data: Record<string, unknown> };
    expect(event.data).toMatchObject({ plan: 'growth', usage: 10500, limit: 10000, extra: { note: 'x' } });
  });

  it('--file sends the file\'s bytes as the body, signed over them', async () => {
    const dir = tempDir();
    try {
      const file = join(dir.path, 'event.json');
      const bytes = Buffer.concat([Buffer.from('{ "id": "evt_from_file", "note": "café ✓" }\r\n'), Buffer.from([0xff])]);
      writeFileSync(file, bytes);
      const target = await app();
      const result = await runCliToEnd(['send', 'review.analysed', '--to', target.url(), '--secret', SECRET, '--file', file]);
      expect(result.code).toBe(0);
      const [received] = target.received as [ReceivedRequest];
      expect(received.body.equals(bytes)).toBe(true);
      expect(signatureOf(received)).toEqual([hmac(SECRET, bytes)]);
    } finally {
      dir.cleanup();
    }
  });

  it('exits 1 when the app answers 500', async () => {
    const target = await app((_request, response) => response.writeHead(500).end());
    const result = await runCliToEnd(['send', 'review.responded', '--to', target.url(), '--secret', SECRET, '--json']);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([expect.objectContaining({ status: 500, delivered: false, error: null })]);
  });

  it('exits 1 with a readable error when nothing listens', async () => {
    const target = await app();
    const url = target.url();
    await target.close();
    const result = await runCliToEnd(['send', 'review.responded', '--to', url, '--secret', SECRET, '--json']);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([
      expect.objectContaining({ status: null, delivered: false, error: `Connection refused: nothing is listening on 127.0.0.1 port ${target.port}. Is your app running?` }),
    ]);
  });

  describe('bad usage: exit 2, one line, nothing sent', () => {
    let target: TestApp;
    beforeAll(async () => {
      target = await startApp();
    });
    afterAll(() => target.close());
    afterEach(() => expect(target.received).toEqual([]));

    it('an unknown event type', async () => {
      expectUsage(await runCliToEnd(['send', 'review.deleted', '--to', target.url(), '--secret', SECRET]), `Give an event type: one of ${EVENT_TYPES.join(', ')} (not "review.deleted").`);
    });

    it('no --to', async () => {
      expectUsage(await runCliToEnd(['send', 'review.analysed', '--secret', SECRET]), '--to URL is required: where to send the event.');
    });

    it('a --to that is not a URL', async () => {
      expectUsage(await runCliToEnd(['send', 'review.analysed', '--to', 'localhost', '--secret', SECRET]), /^hooklens: --to: /);
    });

    it('a bad --signature', async () => {
      expectUsage(await runCliToEnd(['send', 'review.analysed', '--to', target.url(), '--secret', SECRET, '--signature', 'forged']), '--signature must be one of valid, invalid, none, tampered.');
    });

    it('a valid signature without a secret', async () => {
      expectUsage(
        await runCliToEnd(['send', 'review.analysed', '--to', target.url()]),
        '--signature valid needs a signing secret: pass HOOKLENS_SECRET, --secret-file F or --secret S.',
      );
    });

    it('a tampered signature without a secret', async () => {
      expectUsage(await runCliToEnd(['send', 'review.analysed', '--to', target.url(), '--signature', 'tampered']), /^hooklens: --signature tampered needs a signing secret/);
    });

    it('a --repeat out of range', async () => {
      expectUsage(await runCliToEnd(['send', 'review.analysed', '--to', target.url(), '--secret', SECRET, '--repeat', '0']), '--repeat must be from 1 to 100, got 0.');
    });
  });

  it('takes the secret from HOOKLENS_SECRET', async () => {
    const target = await app();
    const result = await runCliToEnd(['send', 'webhook.test', '--to', target.url()], { HOOKLENS_SECRET: SECRET });
    expect(result.code).toBe(0);
    const [received] = target.received as [ReceivedRequest];
    expect(signatureOf(received)).toEqual([hmac(SECRET, received.body)]);
  });
});
