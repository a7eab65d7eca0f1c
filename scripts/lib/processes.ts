import { readdirSync, readFileSync } from "node:fs";

// The machine's processes as Linux shows them in /proc: what the supervisor needs to know when
// a process group is really empty, and what the tests need to see that nothing was left behind.

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** process group */
  pgid: number;
  /** R, S, D, T, Z (a zombie: it has exited, only its parent has not collected it yet) … */
  state: string;
}

/** Every process, or null where there is no /proc (macOS): callers then fall back to signals. */
function listProcesses(): ProcessInfo[] | null {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return null;
  }
  const processes: ProcessInfo[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, "utf8");
    } catch {
      continue; // gone meanwhile
    }
    // "pid (command) state ppid pgrp …": the command may hold spaces and parentheses.
    const [state, ppid, pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    processes.push({ pid: Number(entry), ppid: Number(ppid), pgid: Number(pgid), state });
  }
  return processes;
}

/**
 * Whether any process of the group is still running. A zombie does not count: where PID 1 never
 * collects orphans (some containers), an exited one would otherwise look alive for ever.
 */
export function groupRunning(pgid: number): boolean {
  const processes = listProcesses();
  if (processes) return processes.some((p) => p.pgid === pgid && p.state !== "Z");
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The running processes started, directly or not, by `pid` (not `pid` itself). */
export function runningDescendants(pid: number): ProcessInfo[] {
  const processes = (listProcesses() ?? []).filter((p) => p.state !== "Z");
  const found: ProcessInfo[] = [];
  const parents = new Set([pid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const p of processes) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}

/** Those of `pids` still running (zombies are not). */
export function stillRunning(pids: number[]): number[] {
  const running = new Set((listProcesses() ?? []).filter((p) => p.state !== "Z").map((p) => p.pid));
  return pids.filter((pid) => running.has(pid));
}
