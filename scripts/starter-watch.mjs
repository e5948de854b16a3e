// `npm start` runs start.mjs as npm → sh -c → node. npm passes SIGTERM on to the shell only, which
// dies of it without passing it further, and a SIGHUP or SIGKILL to npm reaches no one at all:
// start.mjs and `hooklens serve` would run on, holding their ports, with nobody left to stop them.
// So start.mjs watches the shell and npm, and stops when either is gone.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Calls `gone` once, within `intervalMs` of the shell running this script or the npm above it exiting. */
export function whenStarterGone(gone, intervalMs = 1_000) {
  const shell = process.ppid;
  const npm = parentOf(shell);
  const timer = setInterval(() => {
    // Reparented (POSIX) or no such process (Windows, where a child keeps its dead parent's pid).
    const shellGone = process.ppid !== shell || !isAlive(shell);
    if (!shellGone && (npm === null || isAlive(npm))) return;
    clearInterval(timer);
    gone();
  }, intervalMs);
  timer.unref();
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

/** The parent of `pid`, or null where it cannot be read (or is init, which never goes). */
function parentOf(pid) {
  let ppid = null;
  try {
    // /proc/<pid>/stat is "pid (name) state ppid …"; the name may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    try {
      ppid = Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());
    } catch {
      // Windows, or no ps: the shell alone is watched.
    }
  }
  return Number.isInteger(ppid) && ppid > 1 ? ppid : null;
}
