import { tempDir } from './helpers/temp-dir';

/**
 * The CLI runs in tests (vitest's and Playwright's) keep their compile cache in a folder of this
 * run's, not the user's.
 */
export default function setup(): () => void {
  const cache = tempDir('hooklens-test-compile-cache-');
  process.env.HOOKLENS_COMPILE_CACHE = cache.path;
  return cache.cleanup;
}
