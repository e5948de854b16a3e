import { execFileSync } from 'node:child_process';

export interface ProcessRow {
  pid: number;
  ppid: number;
  /** `ps` state; Z is a zombie: exited, waiting for its parent to read its status. */
  state: string;
  command: string;
}

/** Every process on the machine, from `ps` (Linux and macOS alike). */
function processTable(): ProcessRow[] {
  return execFileSync('ps', ['-A', '-o', 'pid=', '-o', 'ppid=', '-o', 'stat=', '-o', 'args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map(([, pid, ppid, state, command]) => ({ pid: Number(pid), ppid: Number(ppid), state: state as string, command: command as string }));
}

/** `root` and every process below it, parents first. */
export function processTree(root: number): ProcessRow[] {
  const table = processTable();
  const tree = table.filter((row) => row.pid === root);
  for (let i = 0; i < tree.length; i++) tree.push(...table.filter((row) => row.ppid === tree[i]?.pid));
  return tree;
}

/** The processes of `pids` that still run (a zombie has exited: it holds no port and runs no code). */
export function stillRunning(pids: number[]): number[] {
  const running = new Set(processTable().filter((row) => !row.state.startsWith('Z')).map((row) => row.pid));
  return pids.filter((pid) => running.has(pid));
}
