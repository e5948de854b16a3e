import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { cpuMs, machineBusyMs } from './serve-process';

/**
 * Pids of the live processes whose program is named `name`: argv[0]'s last part (Linux /proc; a
 * zygote's children join their arguments with spaces).
 */
function pidsOf(name: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (basename(readFileSync(`/proc/${entry}/cmdline`, 'utf8').split(/[\0 ]/)[0] ?? '') === name) pids.push(Number(entry));
    } catch {
      // Gone meanwhile.
    }
  }
  return pids;
}

function cpuOf(pids: number[]): number {
  let total = 0;
  for (const pid of pids) {
    try {
      total += cpuMs(pid);
    } catch {
      // Gone meanwhile.
    }
  }
  return total;
}

export interface MachineShare {
  wallMs: number;
  /** Cores' worth of CPU in use over the phase, whole machine, then by whom. */
  busy: number;
  parts: Record<string, number>;
}

/**
 * Who used the machine's CPU while `work` ran: named processes (a pid, or every process of a
 * program, as Chromium's), ones that report their own use (a child that has exited), this
 * process, and the rest of the machine. Tells a slow run caused by the app from one caused by
 * its neighbours on the same cores.
 */
export async function shareOfMachine<T>(
  watched: { pids: Record<string, number>; programs: Record<string, string> },
  work: () => Promise<{ value: T; reportedMs?: Record<string, number> }>,
): Promise<{ value: T; share: MachineShare }> {
  const read = () => ({
    ...Object.fromEntries(Object.entries(watched.pids).map(([name, pid]) => [name, cpuOf([pid])])),
    ...Object.fromEntries(Object.entries(watched.programs).map(([name, program]) => [name, cpuOf(pidsOf(program))])),
  });
  const before = read();
  const machine0 = machineBusyMs();
  const self0 = process.cpuUsage();
  const started = performance.now();
  const { value, reportedMs = {} } = await work();
  const wallMs = performance.now() - started;
  const after = read();
  const self = process.cpuUsage(self0);
  const used: Record<string, number> = { ...Object.fromEntries(Object.keys(after).map((name) => [name, (after[name] ?? 0) - (before[name] ?? 0)])), ...reportedMs, 'this bench': (self.user + self.system) / 1000 };
  const busyMs = machineBusyMs() - machine0;
  used['rest of the machine'] = busyMs - Object.values(used).reduce((sum, ms) => sum + ms, 0);
  return { value, share: { wallMs, busy: busyMs / wallMs, parts: Object.fromEntries(Object.entries(used).map(([name, ms]) => [name, ms / wallMs])) } };
}

/** "1.45 of 2 cores busy: serve 0.38, Chromium 0.95, …" */
export function shareLine(share: MachineShare, cores: number): string {
  const parts = Object.entries(share.parts).map(([name, used]) => `${name} ${used.toFixed(2)}`);
  return `${share.busy.toFixed(2)} of ${cores} cores busy: ${parts.join(', ')}`;
}
