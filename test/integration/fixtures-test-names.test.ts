// Test names in the exported fixtures built from a hostile event id and type: node --test and
// pytest print them escaped, never as raw control characters. Runs the built CLI
// (out/main/cli.js): build first with `npx electron-vite build`.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Inspector } from '../../src/main/inspector/inspector';
import { sampleEvent } from '../../src/main/profile/samples';
import { sign } from '../../src/main/profile/signature';
import { runCliToEnd } from '../helpers/cli';
import { post } from '../helpers/http';
import { CAPTURE_SECRET, folder, HANDLER_SECRET, handlerScope, pytest, useFixtureFolder } from './fixtures/capture';
import { run } from './fixtures/runners';

useFixtureFolder();
const { handler } = handlerScope();

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
