// `npm run dist [-- electron-builder flags]`: builds the app (electron-vite), then the desktop
// packages for this OS with electron-builder into dist/ (config: electron-builder.config.ts).
// Extra arguments go to electron-builder, e.g. `npm run dist -- --linux deb` or `-- --dir`.
//
// electron-builder rebuilds node_modules/better-sqlite3 in place for Electron's ABI; afterwards
// this puts back the Node build, so `npm test` and the CLI keep working in the clone.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const CONFIG = join('scripts', 'packaging', 'electron-builder.config.ts');
const windows = process.platform === 'win32';

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): number {
  // npx/npm are .cmd files on Windows: they need a shell there (node itself must not get one, or a
  // path with a space, C:\Program Files\nodejs, splits).
  const result = spawnSync(command, args, { cwd: ROOT, env, stdio: 'inherit', shell: windows && command !== process.execPath });
  if (result.error) console.error(`Could not run ${command}: ${result.error.message}`);
  return result.status ?? 1;
}

/** Whether better-sqlite3 loads in this Node (false after electron-builder rebuilt it for Electron). */
function sqliteLoadsInNode(): boolean {
  const probe = "require('better-sqlite3')(':memory:').close()";
  return spawnSync(process.execPath, ['-e', probe], { cwd: ROOT, stdio: 'ignore' }).status === 0;
}

let status = run('npx', ['electron-vite', 'build']);
if (status === 0) {
  // A nodedir meant for Node's headers (some machines set one in .npmrc) would make the native
  // rebuild compile better-sqlite3 against Node instead of Electron, and label it Electron's.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'));
  // Node runs electron-builder's CLI directly: npx would read the .npmrc again and put nodedir back.
  const builder = join(ROOT, 'node_modules', 'electron-builder', 'cli.js');
  status = run(process.execPath, [builder, '--config', CONFIG, '--publish', 'never', ...process.argv.slice(2)], env);
  if (!sqliteLoadsInNode()) {
    console.error('\nRestoring better-sqlite3 for Node (electron-builder rebuilt it for Electron)…');
    const restored = run('npm', ['rebuild', 'better-sqlite3']);
    if (restored !== 0 || !sqliteLoadsInNode()) {
      console.error('Could not rebuild better-sqlite3 for Node: run `npm rebuild better-sqlite3` before `npm test`.');
      status ||= 1;
    }
  }
}
process.exit(status);
