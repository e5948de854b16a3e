import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli, runCliToEnd } from '../helpers/cli';
import { readyOf, useRelayRuns } from '../helpers/relay-runs';

const runs = useRelayRuns();
const token = (dir: string, ...args: string[]) => runCliToEnd(['relay', 'token', ...args, '--data-dir', dir]);

describe('hooklens relay token', () => {
  it('add prints the token alone on stdout, once; the database keeps only its SHA-256', async () => {
    const dir = runs.dataDir();
    const added = await token(dir, 'add', 'alice');
    expect(added.code).toBe(0);
    expect(added.lines).toEqual([{ unparsed: expect.stringMatching(/^hlr_[A-Za-z0-9_-]{43}$/) }]);
    expect(added.stderr).toMatch(/shown only now/);
    const value = String(added.lines[0]?.unparsed);
    const db = new Database(join(dir, 'hooklens.db'), { readonly: true });
    const rows = db.prepare('SELECT name, hash FROM relay_tokens').all() as { name: string; hash: Buffer }[];
    db.close();
    expect(rows).toEqual([{ name: 'alice', hash: createHash('sha256').update(value).digest() }]);
    for (const file of ['hooklens.db', 'hooklens.db-wal']) {
      const bytes = (() => {
        try {
          return readFileSync(join(dir, file));
        } catch {
          return Buffer.alloc(0);
        }
      })();
      expect(bytes.includes(Buffer.from(value))).toBe(false);
    }
  });

  it('lists every token without its value, revokes by name, and says what went wrong with an exit code', async () => {
    const dir = runs.dataDir();
    const alice = String((await token(dir, 'add', 'alice')).lines[0]?.unparsed);
    await token(dir, 'add', 'ci.bot');
    expect(await token(dir, 'add', 'alice')).toMatchObject({ code: 1, stderr: expect.stringContaining('A token named "alice" already exists') });
    expect((await token(dir, 'revoke', 'alice')).code).toBe(0);
    expect(await token(dir, 'revoke', 'alice')).toMatchObject({ code: 1, stderr: expect.stringContaining('no active token named "alice"') });
    const listed = await token(dir, 'list', '--json');
    expect(listed.lines.map((line) => [line.name, line.revokedAt === null])).toEqual([
      ['alice', false],
      ['ci.bot', true],
    ]);
    const table = (await token(dir, 'list')).lines.map((line) => String(line.unparsed));
    expect(table[0]).toMatch(/^NAME\s+CREATED\s+LAST USED\s+STATE$/);
    expect(table.join('\n')).not.toContain(alice);
    expect(table.join('\n')).toMatch(/ci\.bot .* active/);
  });

  it.each([
    [['add'], /one NAME/],
    [['add', 'a b'], /A token name is/],
    [['remove', 'alice'], /add NAME, list or revoke NAME/],
    [['list', 'alice'], /takes no name/],
  ])('exits 2 with one line for %j', async (args, reason) => {
    const { code, stderr } = await token(runs.dataDir(), ...args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual([expect.stringMatching(reason)]);
  });
});

describe('hooklens relay', () => {
  it('exits 2 for a capture path over the stream\'s, and 1 for a port in use, with one line each', async () => {
    expect(await runCliToEnd(['relay', '--path', '/relay/hooks', '--data-dir', runs.dataDir()])).toMatchObject({ code: 2, stderr: expect.stringMatching(/--path must be outside \/relay\//) });
    const first = runs.relay(runs.dataDir());
    const { receiverUrl } = await readyOf(first);
    const taken = await runCliToEnd(['relay', '--port', new URL(receiverUrl).port, '--data-dir', runs.dataDir()]);
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/already in use/);
  });

  it('is in hooklens --help, and hooklens help relay names its options and the token commands', async () => {
    const overview = await runCliToEnd(['--help']);
    expect(overview.lines.map((line) => line.unparsed).join('\n')).toMatch(/^ {2}relay {5}one always-on endpoint/m);
    const help = (await runCliToEnd(['help', 'relay'])).lines.map((line) => line.unparsed).join('\n');
    for (const option of ['--port N', '--host H', '--keep', '--secret S', '--heartbeat S', 'token add NAME', 'token revoke NAME']) expect(help).toContain(option);
  });

  it('stops on SIGTERM with exit 0', async () => {
    const run = runCli(['relay', '--json', '--port', '0', '--data-dir', runs.dataDir()]);
    await readyOf(run);
    run.proc.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });
});
