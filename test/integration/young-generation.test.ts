import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../helpers/temp-dir';

// bin/young-generation.js, which bin/hooklens.js runs first: each case in a fresh Node process.
const LOAD = join(__dirname, '..', 'helpers', 'young-generation-load.ts');
const { YOUNG_GENERATION_CAP_BYTES } = require('../../bin/young-generation.js') as { YOUNG_GENERATION_CAP_BYTES: number };

function child(args: string[]): string {
  const run = spawnSync(process.execPath, ['--import', 'tsx', LOAD, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`child failed (${run.status}): ${run.stderr}`);
  return run.stdout.trim();
}

describe('the young generation cap', () => {
  const dirs: ReturnType<typeof tempDir>[] = [];
  afterEach(() => dirs.splice(0).forEach((dir) => dir.cleanup()));

  it('keeps the new space at the cap under a load that grows it past the cap by default', () => {
    // The same load, uncapped: V8 grows the young generation beyond the cap (so the load is enough).
    expect(Number(child(['default']))).toBeGreaterThan(YOUNG_GENERATION_CAP_BYTES);
    expect(Number(child(['capped']))).toBeLessThanOrEqual(YOUNG_GENERATION_CAP_BYTES);
  });

  it('lets a code cache made after the cap be used by the next start (V8 stamps caches with its flags)', () => {
    const dir = tempDir('hooklens-yg-');
    dirs.push(dir);
    const made = join(dir.path, 'made.bin');
    const raw = join(dir.path, 'raw.bin');
    expect(child(['cache', made])).toBe('written');
    expect(child(['cache', raw, 'raw'])).toBe('written');
    expect(child(['check', made])).toBe('accepted');
    // Made with the capped flags in place, the next start would throw it away.
    expect(child(['check', raw])).toBe('rejected');
  });
});
