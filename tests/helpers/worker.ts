import { spawn, type ChildProcess } from "node:child_process";
import { expect } from "vitest";
import { until } from "./wait";

// Worker processes (jobs/worker.ts) on the test file's database, and waiting on what they do.

export interface WorkerProcess {
  child: ChildProcess;
  output: () => string;
  /** its JSON log lines, parsed */
  logs: () => Array<Record<string, any>>;
  exited: () => boolean;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const spawned: WorkerProcess[] = [];

/**
 * A worker process on this file's database, ready to work. Spawned as `node --import tsx` rather
 * than through the tsx CLI: the CLI runs the script in a child process, so SIGKILL to the CLI
 * would orphan the real worker and it would go on billing (a "crash" that is no crash).
 */
export async function startWorker(extraEnv: Record<string, string> = {}): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], {
    env: { ...process.env, LOG_LEVEL: "info", ...extraEnv },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  let done = false;
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  const worker: WorkerProcess = {
    child,
    output: () => output,
    logs: () =>
      output
        .split("\n")
        .filter((line) => line.startsWith("{"))
        .map((line) => {
          try {
            return JSON.parse(line) as Record<string, any>;
          } catch {
            return {};
          }
        }),
    exited: () => done,
    exit,
  };
  spawned.push(worker);
  await until(() => output.includes("worker ready") || done, "the worker to start", 30_000);
  expect(output, "worker output").toContain("worker ready");
  // The process we signal is the one that works.
  expect(worker.logs().find((l) => l.msg === "worker ready")?.pid).toBe(child.pid);
  return worker;
}

/** SIGKILLs the workers this file started that are still running (an afterEach). */
export async function killWorkers(): Promise<void> {
  const all = spawned.splice(0);
  for (const worker of all) if (!worker.exited()) worker.child.kill("SIGKILL");
  await Promise.all(all.map((w) => w.exit));
}

/** The last lines each worker printed, for a failure message. */
export const tails = (workers: WorkerProcess[]) => () =>
  workers.map((w, i) => `--- worker ${i} (pid ${w.child.pid}):\n${w.output().slice(-3000)}`).join("\n");
