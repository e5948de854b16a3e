// `hooklens replay`, the built CLI (out/main/cli.js: build first with `npx electron-vite build`):
// a delivery captured by `serve`, re-signed or sent as captured, exit codes, and the attempt stored.
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inspector } from '../../src/main/inspector/inspector';
import { sampleEvent } from '../../src/main/profile/samples';
import { fingerprint } from '../../src/main/profile/signature';
import { valuesOf, type ReceivedRequest } from '../helpers/app-server';
import { runCli, runCliToEnd } from '../helpers/cli';
import { post } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';
import { appScope, expectUsage, hmac, SECRET, signatureOf } from './cli-send-replay/harness';

/** What ReviewSense signed the captured delivery with. */
const CAPTURE_SECRET = 'whsec_cli_capture';

const { app } = appScope();

describe('hooklens replay', () => {
  let dataDir: ReturnType<typeof tempDir>;
  let captured: Buffer;

  // One delivery captured by `serve` (then stopped), as a developer would have it.
  beforeAll(async () => {
    dataDir = tempDir();
    const serve = runCli(['serve', '--json', '--port', '0', '--no-ui', '--secret', CAPTURE_SECRET, '--data-dir', dataDir.path]);
    try {
      const ready = await serve.waitFor((line) => line.event === 'ready');
      captured = Buffer.from(`${JSON.stringify(sampleEvent('review.analysed', { id: 'evt_cli_replay' }), null, 2)}\n`);
      const answer = await post(ready.receiverUrl as string, captured, { 'content-type': 'application/json', 'x-reviewsense-signature': hmac(CAPTURE_SECRET, captured), 'x-request-id': 'req-cli' });
      expect(answer.status).toBe(200);
      expect(await serve.waitFor((line) => line.event === 'delivery')).toMatchObject({ id: 1, eventId: 'evt_cli_replay', signature: 'valid' });
    } finally {
      serve.proc.kill('SIGINT');
    }
    expect(await serve.exited).toEqual({ code: 0, signal: null });
  });
  afterAll(() => dataDir.cleanup());

  it('sends the captured bytes re-signed with --secret, prints the attempt, exits 0', async () => {
    const target = await app();
    const url = target.url('/webhooks');
    const result = await runCliToEnd(['replay', '1', '--to', url, '--secret', SECRET, '--data-dir', dataDir.path, '--json']);
    expect(result.code).toBe(0);
    const [received] = target.received as [ReceivedRequest];
    expect(received.body.equals(captured)).toBe(true);
    expect(signatureOf(received)).toEqual([hmac(SECRET, captured)]);
    expect(valuesOf(received.headers, 'x-request-id')).toEqual(['req-cli']);
    expect(result.lines).toEqual([
      {
        event: 'attempt',
        kind: 'replay',
        target: url,
        deliveryId: 1,
        status: 200,
        ms: expect.any(Number),
        error: null,
        delivered: true,
        queued: false,
        expect: 'accept',
        ok: true,
        signedWith: { label: '--secret 1', fingerprint: fingerprint(SECRET) },
      },
    ]);
  });

  it('--keep-signature sends the header as captured', async () => {
    const target = await app();
    const result = await runCliToEnd(['replay', '1', '--to', target.url(), '--keep-signature', '--data-dir', dataDir.path, '--json']);
    expect(result.code).toBe(0);
    const [received] = target.received as [ReceivedRequest];
    expect(received.body.equals(captured)).toBe(true);
    expect(signatureOf(received)).toEqual([hmac(CAPTURE_SECRET, captured)]);
  });

  it('exits 1 when the app does not answer 2xx', async () => {
    const target = await app((_request, response) => response.writeHead(503).end());
    const result = await runCliToEnd(['replay', '1', '--to', target.url(), '--secret', SECRET, '--data-dir', dataDir.path, '--json']);
    expect(result.code).toBe(1);
    expect(result.lines).toEqual([expect.objectContaining({ kind: 'replay', deliveryId: 1, status: 503, delivered: false })]);
  });

  it('exits 1 for an unknown id (the check failed), naming the database', async () => {
    const target = await app();
    const result = await runCliToEnd(['replay', '99', '--to', target.url(), '--secret', SECRET, '--data-dir', dataDir.path, '--json']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`hooklens: no delivery #99 in ${join(dataDir.path, 'hooklens.db')}.\n`);
    expect(target.received).toEqual([]);
  });

  it('exits 2 without a secret to re-sign with, or with both a secret and --keep-signature', async () => {
    const target = await app();
    expectUsage(
      await runCliToEnd(['replay', '1', '--to', target.url(), '--data-dir', dataDir.path]),
      'No signing secret to re-sign with: pass HOOKLENS_SECRET, --secret-file F or --secret S, or --keep-signature.',
    );
    expectUsage(await runCliToEnd(['replay', '1', '--to', target.url(), '--secret', SECRET, '--keep-signature', '--data-dir', dataDir.path]), 'Pass either --secret/--secret-file or --keep-signature, not both.');
    expect(target.received).toEqual([]);
  });

  it('stores the attempt with the delivery: in the database, and through an Inspector on the data dir', async () => {
    const target = await app();
    const url = target.url('/stored');
    const result = await runCliToEnd(['replay', '1', '--to', url, '--secret', SECRET, '--data-dir', dataDir.path, '--json']);
    expect(result.code).toBe(0);

    const db = new Database(join(dataDir.path, 'hooklens.db'), { readonly: true });
    const row = db.prepare('SELECT delivery_id, kind, target, status, delivered, request_body FROM attempts ORDER BY id DESC LIMIT 1').get() as {
      delivery_id: number;
      kind: string;
      target: string;
      status: number;
      delivered: number;
      request_body: Buffer;
    };
    db.close();
    expect(row).toMatchObject({ delivery_id: 1, kind: 'replay', target: url, status: 200, delivered: 1 });
    expect(row.request_body.equals(captured)).toBe(true);

    const inspector = new Inspector({ dataDir: dataDir.path });
    try {
      const [newest] = inspector.getDelivery(1)?.attempts ?? [];
      expect(newest).toMatchObject({ kind: 'replay', deliveryId: 1, target: url, status: 200, delivered: true, verdict: 'would count as delivered' });
      expect(valuesOf(newest?.requestHeaders ?? [], 'x-reviewsense-signature')).toEqual([hmac(SECRET, captured)]);
      expect(inspector.listDeliveries()[0]?.lastAttempt).toEqual({ kind: 'replay', status: 200, delivered: true, queued: false, ok: true });
    } finally {
      await inspector.stop();
    }
  });
});
