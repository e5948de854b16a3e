import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleEvent } from '../../src/main/profile/samples';
import { sign } from '../../src/main/profile/signature';
import { runCliToEnd, type ServeProcess } from '../helpers/cli';
import { post } from '../helpers/http';
import { useServeRuns } from '../helpers/serve-runs';

const SECRET = 'whsec_cli_hardening';
const { dataDir, serve } = useServeRuns();

/** The ready line, or a failure with the CLI's own words if it exits first. */
async function ready(run: ServeProcess): Promise<Record<string, unknown>> {
  const exited = run.exited.then(({ code }) => {
    throw new Error(`hooklens serve exited with ${code} before it was ready: ${run.stderr()}`);
  });
  return Promise.race([run.waitFor((line) => line.event === 'ready'), exited]);
}


function envelope(id: string, type: string): string {
  return JSON.stringify({ id, type, created_at: '2026-04-24T14:30:00Z', api_version: 'v1', data: {} });
}

const ESC = '\u001b';
const BEL = '\u0007';
const FAKE_LINE = '12:00:00.000  #9  review.analysed  evt_fake  ✓ valid  → 200';

describe('hooklens serve: what a sender chose cannot write to the terminal', () => {
  it('shows control characters in ids and types as escapes on stderr, and keeps them exact in --json', async () => {
    const run = serve(['--secret', SECRET, '--data-dir', dataDir()]);
    const { receiverUrl } = await ready(run);
    const sent = [
      { id: `evt_${ESC}[2J${ESC}]0;pwned${BEL}`, type: 'review.analysed' },
      { id: `evt_nl\n${FAKE_LINE}`, type: 'review.analysed' },
      { id: 'evt_hidden', type: `review.analysed${ESC}[8m` },
    ];
    for (const { id, type } of sent) {
      // Unsigned: anyone who can reach the receiver can send these.
      const response = await post(receiverUrl as string, envelope(id, type), { 'content-type': 'application/json' });
      expect(response.status).toBe(200);
    }

    await expect.poll(() => run.lines.filter((line) => line.event === 'delivery').length).toBe(3);
    // Each --json line parsed whole: the newline inside an id was escaped, not printed.
    expect(run.lines.filter((line) => 'unparsed' in line)).toEqual([]);
    expect(run.lines.filter((line) => line.event === 'delivery').map((line) => [line.eventId, line.type])).toEqual(sent.map(({ id, type }) => [id, type]));

    await expect.poll(run.stderr).toMatch(/  #3  /);
    const stderr = run.stderr();
    expect(stderr).not.toContain(ESC);
    expect(stderr).not.toContain(BEL);
    const lines = stderr.split('\n');
    // No line of the sender's making: the fake one stays inside delivery #2's line.
    expect(lines.filter((line) => /^\d\d:\d\d:\d\d\.\d{3}  /.test(line) && line.includes('evt_fake  ✓ valid') && !line.includes('  #2  '))).toEqual([]);
    expect(lines.filter((line) => line.startsWith('12:00:00.000'))).toEqual([]);
    expect(lines.find((line) => line.includes('  #1  '))).toContain('evt_\\x1b[2J\\x1b]0;pwned\\x07');
    expect(lines.find((line) => line.includes('  #2  '))).toContain(`evt_nl\\n${FAKE_LINE}`);
    expect(lines.find((line) => line.includes('  #3  '))).toContain('review.analysed\\x1b[8m  evt_hidden');
  });
});

describe('hooklens serve --secret-file', () => {
  it('reads a secret with a trailing newline and verifies a delivery signed with it', async () => {
    const dir = dataDir();
    const file = join(dir, 'secret.txt');
    writeFileSync(file, `${SECRET}\n`);
    const run = serve(['--secret-file', file, '--data-dir', dir]);
    const { receiverUrl } = await ready(run);
    const body = JSON.stringify(sampleEvent('review.analysed'));
    expect((await post(receiverUrl as string, body, { 'x-reviewsense-signature': sign(SECRET, body) })).status).toBe(200);
    expect(await run.waitFor((line) => line.event === 'delivery')).toMatchObject({ signature: 'valid' });
  });

  it('reads one secret per line: deliveries signed with the second or the first are valid, others not', async () => {
    const dir = dataDir();
    const file = join(dir, 'secrets.txt');
    writeFileSync(file, `whsec_first_line\n${SECRET}\n`);
    const run = serve(['--secret-file', file, '--data-dir', dir]);
    const { receiverUrl } = await ready(run);
    for (const secret of [SECRET, 'whsec_first_line', 'whsec_not_in_the_file']) {
      const body = JSON.stringify(sampleEvent('webhook.test'));
      await post(receiverUrl as string, body, { 'x-reviewsense-signature': sign(secret, body) });
    }
    await expect.poll(() => run.lines.filter((line) => line.event === 'delivery').map((line) => line.signature)).toEqual(['valid', 'valid', 'invalid']);
  });

  it('exits 2 with one line naming a file that does not exist', async () => {
    const dir = dataDir();
    const missing = join(dir, 'no-such-secret.txt');
    const { code, stderr } = await runCliToEnd(['serve', '--no-ui', '--port', '0', '--data-dir', dir, '--secret-file', missing]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(missing);
  });

  it('exits 2 with one line naming an empty file', async () => {
    const dir = dataDir();
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '');
    const { code, stderr } = await runCliToEnd(['serve', '--no-ui', '--port', '0', '--data-dir', dir, '--secret-file', empty]);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(empty);
  });

  it('is in serve --help, which prefers HOOKLENS_SECRET or the file over --secret', async () => {
    const { code, lines } = await runCliToEnd(['serve', '--help']);
    expect(code).toBe(0);
    const help = lines.map((line) => line.unparsed).join('\n');
    expect(help).toMatch(/^\s*--secret-file F\s+\S/m);
    expect(help).toMatch(/Prefer HOOKLENS_SECRET[^]*?or --secret-file/);
  });
});
