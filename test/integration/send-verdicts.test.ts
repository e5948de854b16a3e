import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Inspector } from '../../src/main/inspector/inspector';
import { fingerprint, sign } from '../../src/main/profile/signature';
import { sampleEvent } from '../../src/main/profile/samples';
import { BIN, runCliToEnd } from '../helpers/cli';
import { handlers, type WebhookHandler } from '../helpers/handlers';
import { post } from '../helpers/http';
import { tempDir } from '../helpers/temp-dir';

const SECRET = 'whsec_send_verdicts';
const README = join(__dirname, '..', '..', 'README.md');
const run = promisify(execFile);

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function handler(start: Promise<WebhookHandler>): Promise<WebhookHandler> {
  const started = await start;
  cleanups.push(() => started.close());
  return started;
}

type Line = Record<string, unknown>;
const attempts = (lines: Line[]) => lines.filter((line) => line.event === 'attempt');

describe('hooklens send judges the handler the way its developer means it', () => {
  it.each(['invalid', 'none', 'tampered'] as const)('--signature %s rightly refused with 401: ✓, ok, exit 0', async (variant) => {
    const app = await handler(handlers.correct(SECRET));
    const result = await runCliToEnd(['send', 'quota.exceeded', '--to', app.url, '--signature', variant, '--json'], { HOOKLENS_SECRET: SECRET });
    expect(result.code).toBe(0);
    expect(attempts(result.lines)).toEqual([expect.objectContaining({ status: 401, delivered: false, expect: 'refuse', ok: true })]);
    expect(result.stderr).toContain('✓ rightly refused (answered 401)');
    expect(result.stderr).not.toMatch(/would fail|retry #1/);
  });

  it('a 2xx to a tampered request is "accepted a forged request": ✗, not ok, exit 1', async () => {
    const app = await handler(handlers.acceptsAnything(SECRET));
    const result = await runCliToEnd(['send', 'quota.exceeded', '--to', app.url, '--signature', 'tampered', '--json'], { HOOKLENS_SECRET: SECRET });
    expect(result.code).toBe(1);
    expect(attempts(result.lines)).toEqual([expect.objectContaining({ status: 200, delivered: true, expect: 'refuse', ok: false })]);
    expect(result.stderr).toContain('✗ your handler accepted a forged request (answered 200)');
  });

  it('a 5xx or no answer to a broken signature fails too', async () => {
    const app = await handler(handlers.always(500, SECRET));
    const failed = await runCliToEnd(['send', 'webhook.test', '--to', app.url, '--signature', 'none', '--json'], { HOOKLENS_SECRET: SECRET });
    expect(failed.code).toBe(1);
    expect(attempts(failed.lines)[0]).toMatchObject({ status: 500, expect: 'refuse', ok: false });
    expect(failed.stderr).toContain('answered 500 instead of refusing it');

    await app.close();
    const gone = await runCliToEnd(['send', 'webhook.test', '--to', app.url, '--signature', 'invalid', '--json'], { HOOKLENS_SECRET: SECRET });
    expect(gone.code).toBe(1);
    expect(attempts(gone.lines)[0]).toMatchObject({ status: null, expect: 'refuse', ok: false });
    // Said once: the line does not repeat the connection error before the verdict.
    expect(gone.stderr.match(/Connection refused/g)).toHaveLength(1);
  });

  it('a valid signature must be accepted, and the line names the secret that signed it', async () => {
    const app = await handler(handlers.correct(SECRET));
    const result = await runCliToEnd(['send', 'review.flagged', '--to', app.url, '--json'], { HOOKLENS_SECRET: SECRET });
    expect(result.code).toBe(0);
    expect(attempts(result.lines)[0]).toMatchObject({ status: 200, expect: 'accept', ok: true, signedWith: { label: 'HOOKLENS_SECRET 1', fingerprint: fingerprint(SECRET) } });
    expect(result.stderr).toContain(`(signed with 'HOOKLENS_SECRET 1' (${fingerprint(SECRET)}))`);
  });
});

describe("README's send examples, run as written against real handlers", () => {
  /** The sh block that holds the "# must be rejected" example, one command a line. */
  function readmeExample(): string[] {
    const blocks = [...readFileSync(README, 'utf8').matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] as string);
    const block = blocks.find((text) => text.includes('# must be rejected'));
    if (!block) throw new Error('README has no sh block with "# must be rejected"');
    return block.split('\n').filter((line) => line.startsWith('npx hooklens send'));
  }

  /** Runs one README line in a real shell, `npx hooklens` being this build, aimed at `url`. */
  async function runLine(line: string, url: string): Promise<{ code: number; stderr: string }> {
    const script = `npx() { shift; node ${JSON.stringify(BIN)} "$@"; }\n${line.replaceAll('http://localhost:3000/webhooks', url)}`;
    try {
      const { stderr } = await run('bash', ['-c', script], { env: { PATH: process.env.PATH, HOOKLENS_SECRET: SECRET, HOOKLENS_COMPILE_CACHE: process.env.HOOKLENS_COMPILE_CACHE } });
      return { code: 0, stderr };
    } catch (error) {
      const failed = error as { code: number; stderr: string };
      return { code: failed.code, stderr: failed.stderr };
    }
  }

  it('each exits 0 against a correct handler', async () => {
    const lines = readmeExample();
    expect(lines).toHaveLength(3);
    const app = await handler(handlers.correct(SECRET));
    for (const line of lines) expect(await runLine(line, app.url), line).toMatchObject({ code: 0 });
  });

  it('the "must be rejected" one exits 1 against a handler that accepts anything', async () => {
    const app = await handler(handlers.acceptsAnything(SECRET));
    const rejected = readmeExample().find((line) => line.includes('# must be rejected')) as string;
    const result = await runLine(rejected, app.url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('your handler accepted a forged request');
  });
});

describe('hooklens replay', () => {
  async function captured(signature: (body: string) => string | null) {
    const dir = tempDir();
    cleanups.push(() => dir.cleanup());
    const capture = new Inspector({ dataDir: dir.path, runtimeSecrets: [{ label: 'current', value: SECRET }], receiver: { port: 0 } });
    await capture.start();
    const body = JSON.stringify(sampleEvent('review.analysed'));
    const header = signature(body);
    expect((await post(capture.receiverUrl as string, body, header === null ? {} : { 'x-reviewsense-signature': header })).status).toBe(200);
    await capture.stop();
    return dir.path;
  }

  it('as captured, a forged capture rightly refused is ok (exit 0); accepted, it is not (exit 1)', async () => {
    const dataDir = await captured(() => sign('whsec_someone_else', 'x'));
    const correct = await handler(handlers.correct(SECRET));
    const refused = await runCliToEnd(['replay', '1', '--to', correct.url, '--keep-signature', '--data-dir', dataDir, '--json'], { HOOKLENS_SECRET: SECRET });
    expect(refused.code).toBe(0);
    expect(attempts(refused.lines)[0]).toMatchObject({ status: 401, expect: 'refuse', ok: true });
    expect(refused.stderr).toContain('(the signature as captured)');

    const lax = await handler(handlers.acceptsAnything(SECRET));
    const accepted = await runCliToEnd(['replay', '1', '--to', lax.url, '--keep-signature', '--data-dir', dataDir, '--json'], { HOOKLENS_SECRET: SECRET });
    expect(accepted.code).toBe(1);
    expect(accepted.stderr).toContain('your handler accepted a forged request');
  });

  it('re-signed, the line says which secret signed it: the current one, not the newest saved', async () => {
    const dataDir = await captured((body) => sign(SECRET, body));
    const current = new Inspector({ dataDir, receiver: { port: 0 } });
    current.addSecret({ label: 'current', value: SECRET });
    current.addSecret({ label: 'other', value: 'whsec_added_later_for_staging' });
    await current.stop();

    const app = await handler(handlers.correct(SECRET));
    const result = await runCliToEnd(['replay', '1', '--to', app.url, '--data-dir', dataDir, '--json']);
    expect(result.code).toBe(0);
    expect(attempts(result.lines)[0]).toMatchObject({ status: 200, expect: 'accept', ok: true, signedWith: { label: 'current', fingerprint: fingerprint(SECRET) } });
    expect(result.stderr).toContain(`(signed with 'current' (${fingerprint(SECRET)}))`);
  });

  it('of a delivery that is not there: one sentence, exit 1 (the check failed), not 2', async () => {
    const dataDir = await captured((body) => sign(SECRET, body));
    const app = await handler(handlers.correct(SECRET));
    const result = await runCliToEnd(['replay', '999', '--to', app.url, '--data-dir', dataDir], { HOOKLENS_SECRET: SECRET });
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`hooklens: no delivery #999 in ${join(dataDir, 'hooklens.db')}.`);
  });
});
