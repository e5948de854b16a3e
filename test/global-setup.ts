import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The CLI runs in tests keep their compile cache in a folder of this run's, not the user's. */
export default function setup(): () => void {
  const cache = mkdtempSync(join(tmpdir(), 'hooklens-test-compile-cache-'));
  process.env.HOOKLENS_COMPILE_CACHE = cache;
  return () => rmSync(cache, { recursive: true, force: true });
}
