// `npm start`: build, then open the desktop app; where Electron cannot run (its binary could not
// be downloaded, or better-sqlite3 cannot be built for it) open the same UI in the browser instead.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { electronBinary, ensureElectronNativeBinding, installElectronBinary, ROOT } from './electron-native.mjs';
import { whenStarterGone } from './starter-watch.mjs';

// `npm start -- --port 9000`: options for the browser UI's `hooklens serve`.
const serveOptions = process.argv.slice(2);
const browserUi = [join(ROOT, 'bin', 'hooklens.js'), 'serve', '--ui', ...serveOptions];

/** The desktop app or the browser UI, whichever runs now: stop signals are passed on to it. */
let running = null;
let stopping = false;

// HOOKLENS_SKIP_BUILD=1: start what `npm run build` last left in out/, without building again.
if (!process.env.HOOKLENS_SKIP_BUILD) {
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, stdio: 'inherit', shell: process.platform === 'win32' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const problem = startDesktopApp();
if (problem) {
  console.error(`${problem}\nStarting the browser UI instead: the same app, served on 127.0.0.1 (open the printed URL).\n`);
  launch(process.execPath, browserUi, process.env, { ipc: true });
}

/** Launches Electron, or returns why it cannot. */
function startDesktopApp() {
  const noWindow = whyNoWindow();
  if (noWindow) return noWindow;
  let binary = electronBinary();
  if (!binary) {
    const reason = installElectronBinary();
    binary = electronBinary();
    if (!binary) return `The Electron binary is not installed (it is downloaded from GitHub on first start and that failed: ${reason}).`;
  }
  let nativeBinding;
  try {
    nativeBinding = ensureElectronNativeBinding();
  } catch (error) {
    return error.message;
  }
  // HOOKLENS_DEV=1: a developer's run, so the View menu has Reload and the developer tools
  // (src/main/electron/developer-mode.ts; never in a package).
  const env = { ...process.env, HOOKLENS_ELECTRON_NATIVE_BINDING: nativeBinding, HOOKLENS_DEV: '1' };
  // Set by some tools; it would make Electron run this as plain Node.
  delete env.ELECTRON_RUN_AS_NODE;
  if (serveOptions.length > 0) console.error(`The desktop app takes its address from Settings; ${serveOptions.join(' ')} is for the browser UI only.`);
  launch(binary, ['.'], env, { fallBackIfQuick: true });
  return null;
}

/** Where a desktop window cannot open at all, say so instead of letting Electron fail. */
function whyNoWindow() {
  if (process.platform !== 'linux') return null;
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'There is no display here (no DISPLAY or WAYLAND_DISPLAY: SSH, a container, CI?), so the desktop window cannot open.';
  if (process.getuid?.() === 0) return 'Electron refuses to run as root without disabling its sandbox, which Hooklens does not do.';
  return null;
}

function launch(command, args, env, { fallBackIfQuick = false, ipc = false } = {}) {
  const started = Date.now();
  if (!running) passStopOn();
  // The browser UI gets an IPC channel, which closes when this process dies (even of SIGKILL):
  // `hooklens serve` then stops instead of holding the ports for no one.
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['inherit', 'inherit', 'inherit', ...(ipc ? ['ipc'] : [])] });
  running = child;
  child.on('exit', (code, signal) => {
    // Electron that dies at once (no GPU, missing libraries) leaves the user with nothing: open the browser UI.
    if (fallBackIfQuick && !stopping && code !== 0 && !signal && Date.now() - started < 5_000) {
      console.error(`\nThe desktop app exited at start (code ${code}). Starting the browser UI instead.\n`);
      launch(process.execPath, browserUi, process.env, { ipc: true });
      return;
    }
    process.exit(code ?? (signal ? 1 : 0));
  });
  child.on('error', (error) => {
    console.error(`Could not start ${command}: ${error.message}`);
    process.exit(1);
  });
}

function passStopOn() {
  const stop = (signal) => {
    stopping = true;
    running.kill(signal);
  };
  // Ctrl+C in a terminal already reaches the child (same process group); passing it on as well
  // would be a second Ctrl+C, which makes `hooklens serve` exit without finishing in-flight work.
  process.on('SIGINT', () => {
    if (process.stdin.isTTY) stopping = true;
    else stop('SIGINT');
  });
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGHUP', () => stop('SIGHUP'));
  if (process.env.npm_lifecycle_event) {
    // After this turn's signals: when a Ctrl+C also ended the shell, serve already has it, and a
    // SIGTERM on top would be a second signal, which cuts its drain short.
    whenStarterGone(() => setImmediate(() => stopping || stop('SIGTERM')));
  }
}
