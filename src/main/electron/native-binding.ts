import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const NATIVE_BINDING_ENV = 'HOOKLENS_ELECTRON_NATIVE_BINDING';
export const NATIVE_BINDING_FILE = join('.electron-native', 'better_sqlite3.node');

/**
 * better-sqlite3 built for Electron's ABI, kept apart from node_modules (which stays built for
 * Node so `npm test` keeps working). `npm start` builds it. Undefined when there is none:
 * better-sqlite3 then loads its default binding, which works only if that one suits Electron.
 *
 * Always undefined in a package: electron-builder rebuilt node_modules/better-sqlite3 for the
 * packaged Electron (unpacked from app.asar), so the default binding is the right one, and a
 * package never loads native code named by an environment variable.
 */
export function electronNativeBinding(projectDir: string, env: NodeJS.ProcessEnv = process.env, isPackaged = false): string | undefined {
  if (isPackaged) return undefined;
  const candidate = env[NATIVE_BINDING_ENV] || join(projectDir, NATIVE_BINDING_FILE);
  return existsSync(candidate) ? candidate : undefined;
}
