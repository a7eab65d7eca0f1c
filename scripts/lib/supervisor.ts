import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";
import { groupRunning } from "./processes";

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
}

export interface SuperviseOptions {
  /** The wait before restarting a process that exited by itself; it doubles with each crash in a row. */
  firstDelayMs?: number;
  /** The longest wait before a restart. */
  maxDelayMs?: number;
  /** A process that stayed up this long was not crash-looping: its next restart waits firstDelayMs again. */
  stableMs?: number;
  /** How long a process group may take to stop on SIGTERM before it is killed (the worker finishes its chunk). */
  graceMs?: number;
}

const log = (line: string) => console.log(`[kvartplata] ${line}`);
const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/**
 * Runs the web server and the worker side by side with prefixed output. One that exits by itself
 * is restarted, after 1 s, then 2, 4 … up to 30 s while it keeps crashing, and the other one
 * goes on serving. SIGINT, SIGTERM or SIGHUP, or the parent going away (npm killed), stops them
 * all, waits for them, then runs `cleanup` (stopping the embedded PostgreSQL) and exits.
 */
export function supervise(specs: ProcessSpec[], cleanup: () => Promise<void>, options: SuperviseOptions = {}): void {
  const { firstDelayMs = 1_000, maxDelayMs = 30_000, stableMs = 60_000, graceMs = 35_000 } = options;
  const running = new Map<string, ChildProcess>();
  /** Each child's output read to its end ('close' comes after 'exit' once its pipes are drained). */
  const drained = new Set<Promise<void>>();
  const restarts = new Set<NodeJS.Timeout>();
  /** What is left of a process that exited by itself (next-server under `next dev`), being stopped. */
  const leftovers = new Set<Promise<void>>();
  let shuttingDown = false;

  // Our output goes wherever npm's goes; if that reader is gone (a closed terminal, a process
  // manager that stopped reading), a write must not crash us before the children are stopped.
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});

  const start = (spec: ProcessSpec, crashesInARow: number) => {
    // Own process group, so that grandchildren (next-server, tsx's node) are stopped with it.
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    const startedAt = performance.now();
    running.set(spec.name, child);
    const closed: Promise<void> = new Promise((resolve) => child.once("close", () => resolve()));
    drained.add(closed);
    void closed.then(() => drained.delete(closed));
    prefix(child.stdout!, spec.name, process.stdout);
    prefix(child.stderr!, spec.name, process.stderr);
    if (child.pid !== undefined) log(`${spec.name} started (pid ${child.pid})`);

    let ended = false;
    const onEnd = (how: string) => {
      if (ended) return;
      ended = true;
      running.delete(spec.name);
      if (shuttingDown) return;
      const upMs = performance.now() - startedAt;
      const crashes = upMs >= stableMs ? 0 : crashesInARow;
      const delayMs = Math.min(maxDelayMs, firstDelayMs * 2 ** crashes);
      log(`${spec.name} ${how} after ${seconds(upMs)}: restarting it in ${seconds(delayMs)}`);
      const left = child.pid === undefined ? Promise.resolve() : stopGroup(child.pid, graceMs);
      leftovers.add(left);
      void left.then(() => {
        leftovers.delete(left);
        if (shuttingDown) return;
        const timer = setTimeout(() => {
          restarts.delete(timer);
          if (!shuttingDown) start(spec, crashes + 1);
        }, delayMs);
        restarts.add(timer);
      });
    };
    child.on("exit", (code, signal) => onEnd(signal ? `was killed by ${signal}` : `exited with code ${code}`));
    // A command that cannot be started at all has no 'exit' to wait for.
    child.on("error", (error) => child.pid === undefined && onEnd(`could not start (${error.message})`));
  };

  const shutdown = async (reason: string) => {
    if (shuttingDown) return;
    shuttingDown = true;
    for (const timer of restarts) clearTimeout(timer);
    log(`${reason}: stopping ${[...running.keys()].join(", ") || "nothing"}…`);
    const groups = [...running.values()].flatMap((child) => (child.pid === undefined ? [] : [child.pid]));
    await Promise.all([...groups.map((pgid) => stopGroup(pgid, graceMs)), ...leftovers]);
    // The last lines a process wrote before exiting ("worker stopped") may still be in its pipe.
    await Promise.race([Promise.all(drained), new Promise((resolve) => setTimeout(resolve, 2_000))]);
    let exitCode = 0;
    try {
      await cleanup();
    } catch (e) {
      console.error("[kvartplata] cleanup failed:", e);
      exitCode = 1;
    }
    log("stopped");
    process.exit(exitCode);
  };

  for (const spec of specs) start(spec, 0);

  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGHUP", () => void shutdown("SIGHUP"));
  // npm passes SIGTERM on to us only because its script execs us (package.json); a SIGKILLed npm
  // passes nothing. Either way we are handed over to another parent: stop then too.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) void shutdown(`the parent process (${parent}) went away`);
  }, 1_000).unref();
}

function prefix(stream: NodeJS.ReadableStream, name: string, out: NodeJS.WriteStream) {
  readline.createInterface({ input: stream }).on("line", (line) => out.write(`[${name}] ${line}\n`));
}

/** SIGTERM to the whole group, then SIGKILL after the grace period; resolves once nothing of it runs. */
async function stopGroup(pgid: number, graceMs: number): Promise<void> {
  signalGroup(pgid, "SIGTERM");
  if (await groupGone(pgid, graceMs)) return;
  signalGroup(pgid, "SIGKILL");
  await groupGone(pgid, 5_000);
}

async function groupGone(pgid: number, withinMs: number): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  while (groupRunning(pgid)) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

function signalGroup(pgid: number, signal: NodeJS.Signals) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
}
