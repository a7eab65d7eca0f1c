import { spawn, type ChildProcess } from "node:child_process";
import readline from "node:readline";

export interface ProcessSpec {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: Record<string, string>;
}

/**
 * Runs the web server and the worker side by side with prefixed output. Ctrl-C (or SIGTERM)
 * stops them, waits for them, then runs `cleanup` (stopping the embedded PostgreSQL).
 * If one of them exits by itself, the others are stopped too.
 */
export function supervise(specs: ProcessSpec[], cleanup: () => Promise<void>): void {
  const children = new Map<string, ChildProcess>();
  let shuttingDown = false;
  let exitCode = 0;

  const shutdown = async (reason: string, code: number) => {
    if (shuttingDown) return;
    shuttingDown = true;
    exitCode = code;
    console.log(`[kvartplata] ${reason}: stopping ${[...children.keys()].join(", ") || "nothing"}…`);
    await Promise.all([...children.values()].map((child) => stopChild(child)));
    try {
      await cleanup();
    } catch (e) {
      console.error("[kvartplata] cleanup failed:", e);
      exitCode ||= 1;
    }
    console.log("[kvartplata] stopped");
    process.exit(exitCode);
  };

  for (const spec of specs) {
    // Own process group, so that grandchildren (next-server) are stopped with it.
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    });
    children.set(spec.name, child);
    prefix(child.stdout!, spec.name, process.stdout);
    prefix(child.stderr!, spec.name, process.stderr);
    child.on("exit", (code, signal) => {
      children.delete(spec.name);
      if (!shuttingDown) void shutdown(`${spec.name} exited (${signal ?? `code ${code}`})`, code || 1);
    });
  }

  process.on("SIGINT", () => void shutdown("SIGINT", 0));
  process.on("SIGTERM", () => void shutdown("SIGTERM", 0));
  process.on("SIGHUP", () => void shutdown("SIGHUP", 0));
}

function prefix(stream: NodeJS.ReadableStream, name: string, out: NodeJS.WriteStream) {
  readline.createInterface({ input: stream }).on("line", (line) => out.write(`[${name}] ${line}\n`));
}

function stopChild(child: ChildProcess, graceMs = 35_000): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const group = -child.pid!;
    const timer = setTimeout(() => signalGroup(group, "SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      // Whatever else is left in the group (a next-server child) goes too.
      signalGroup(group, "SIGTERM");
      resolve();
    });
    signalGroup(group, "SIGTERM");
  });
}

function signalGroup(group: number, signal: NodeJS.Signals) {
  try {
    process.kill(group, signal);
  } catch {
    // already gone
  }
}
