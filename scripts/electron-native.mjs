// The desktop app's native pieces: the Electron binary (downloaded by electron's installer) and
// better-sqlite3 built for Electron's ABI into .electron-native/. node_modules/better-sqlite3 is
// never touched, so it stays built for Node and `npm test` keeps working.
// Run directly (`node scripts/electron-native.mjs`) to build the binding without starting the app.
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ELECTRON_DIR = join(ROOT, 'node_modules', 'electron');
const SQLITE_DIR = join(ROOT, 'node_modules', 'better-sqlite3');
const NATIVE_DIR = join(ROOT, '.electron-native');
export const NATIVE_BINDING = join(NATIVE_DIR, 'better_sqlite3.node');
const STAMP = join(NATIVE_DIR, 'better_sqlite3.json');

const versionOf = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).version;
const firstLine = (text) => (text ?? '').split('\n').map((line) => line.trim()).find(Boolean) ?? '';

/** The Electron executable when it is installed, else null. Never require('electron'): that downloads. */
export function electronBinary() {
  const pathFile = join(ELECTRON_DIR, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(process.env.ELECTRON_OVERRIDE_DIST_PATH || join(ELECTRON_DIR, 'dist'), readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

/** Runs electron's own installer (a download from GitHub); returns null, or why it failed. */
export function installElectronBinary() {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return 'ELECTRON_SKIP_BINARY_DOWNLOAD is set';
  console.error(`Downloading Electron ${versionOf(ELECTRON_DIR)} (first start only; the browser UI opens instead if this fails)…`);
  // A blocked network can hang rather than refuse: give up after 3 minutes, not the installer's own 10.
  const result = spawnSync(process.execPath, [join(ELECTRON_DIR, 'install.js')], { cwd: ELECTRON_DIR, encoding: 'utf8', timeout: 3 * 60_000 });
  if (result.error?.code === 'ETIMEDOUT') return 'the download did not finish within 3 minutes';
  if (result.status === 0 && electronBinary()) return null;
  return firstLine(result.stderr) || result.error?.message || `the installer exited with code ${result.status}`;
}

/** Returns the path of an Electron-ABI better-sqlite3 binding, building it when missing or stale. */
export function ensureElectronNativeBinding() {
  const wanted = { electron: versionOf(ELECTRON_DIR), betterSqlite3: versionOf(SQLITE_DIR), platform: process.platform, arch: process.arch };
  if (existsSync(NATIVE_BINDING) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === JSON.stringify(wanted)) return NATIVE_BINDING;

  console.error(`Building better-sqlite3 ${wanted.betterSqlite3} for Electron ${wanted.electron} into .electron-native/ (first start only)…`);
  const work = join(NATIVE_DIR, 'better-sqlite3');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(NATIVE_DIR, { recursive: true });
  // A private copy: rebuilding in place would replace the Node build that npm test loads.
  cpSync(SQLITE_DIR, work, { recursive: true, filter: (source) => source !== join(SQLITE_DIR, 'build') });
  const built = join(work, 'build', 'Release', 'better_sqlite3.node');
  const problem = downloadPrebuilt(work, wanted) && compile(work, wanted);
  if (problem || !existsSync(built)) {
    throw new Error(`Could not build better-sqlite3 for Electron: ${problem || 'no binding was produced'}. Compiling needs Python 3, make and a C++ compiler.`);
  }
  copyFileSync(built, NATIVE_BINDING);
  writeFileSync(STAMP, JSON.stringify(wanted));
  rmSync(work, { recursive: true, force: true });
  return NATIVE_BINDING;
}

/** better-sqlite3 publishes Electron builds: no compiler needed when one exists. Returns null on success. */
function downloadPrebuilt(work, wanted) {
  const bin = createRequire(join(SQLITE_DIR, 'package.json')).resolve('prebuild-install/bin.js');
  return run(process.execPath, [bin, '--runtime=electron', `--target=${wanted.electron}`, `--arch=${wanted.arch}`], work);
}

function compile(work, wanted) {
  // npm start runs with npm's bundled node-gyp on hand; elsewhere npx fetches it from the registry.
  const nodeGyp = process.env.npm_config_node_gyp;
  const [command, prefix] = nodeGyp ? [process.execPath, [nodeGyp]] : ['npx', ['--yes', 'node-gyp']];
  const args = ['rebuild', '--release', `--target=${wanted.electron}`, `--arch=${wanted.arch}`, '--dist-url=https://electronjs.org/headers', '--runtime=electron'];
  return run(command, [...prefix, ...args], work);
}

function run(command, args, cwd) {
  // A nodedir meant for Node's headers (some machines set one in .npmrc) would build for the wrong ABI.
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => key.toLowerCase() !== 'npm_config_nodedir'));
  // Only npx needs a shell on Windows (it is a .cmd); node itself must not get one, or a path with
  // a space (C:\Program Files\nodejs) splits.
  const shell = process.platform === 'win32' && command === 'npx';
  const result = spawnSync(command, args, { cwd, env, stdio: ['ignore', 'inherit', 'pipe'], encoding: 'utf8', shell });
  if (result.status === 0) return null;
  process.stderr.write(result.stderr ?? '');
  return firstLine(result.stderr) || result.error?.message || `${command} exited with code ${result.status}`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (!electronBinary()) {
    console.error('The Electron binary is not installed (node_modules/electron/dist); run `node node_modules/electron/install.js` first.');
    process.exit(1);
  }
  try {
    console.log(ensureElectronNativeBinding());
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
}
