// The process tree of a spawned server (Linux /proc): server.mjs runs a
// primary and node:cluster workers, so memory and crashes are per process.
import { readdirSync, readFileSync } from 'node:fs';

/** Pids whose parent is `ppid` (the primary's cluster workers). */
export function childPids(ppid: number): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[1]) === ppid && fields[0] !== 'Z') pids.push(Number(name));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids.sort((a, b) => a - b);
}

/** Resident memory in MB of a process (0 if it is gone). */
export function processRssMb(pid: number): number {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

/** Resident memory in MB of the primary and its workers together. */
export function treeRssMb(pid: number): number {
  return [pid, ...childPids(pid)].reduce((sum, p) => sum + processRssMb(p), 0);
}
