// What the benchmarks (npm run bench:api, npm run bench:ui) share: stopping everything they
// started, once, also on Ctrl-C or a crash; the process tree of what they run; a database of
// their own; and `npm start` on the production build.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import readline from "node:readline";
import postgres from "postgres";
import type { Db } from "../../db/connect";
import { findFreePort, startEmbeddedPostgres } from "../../db/embedded";
import { findOrCreatePerson } from "../../lib/auth/persons";
import { env } from "../../lib/env";
import { currentMonth } from "../../lib/months";
import { prepareDatabase, redact, withDatabase } from "./database";
import { BUNDLES, SERVER, runtimeDir } from "./runtime-layout";

export interface BenchKit {
  log: (line: string) => void;
  /** run in reverse order by cleanup() */
  cleanups: { name: string; run: () => Promise<void> }[];
  /** run first by cleanup(): stop what is measuring right now */
  interrupts: (() => void)[];
  cleanup: () => Promise<void>;
  /** true once cleanup() has started */
  stopping: () => boolean;
}

/** The kit of one bench: its log prefix, and signal handlers that stop everything it started. */
export function benchKit(name: string): BenchKit {
  const log = (line: string) => console.log(`[${name}] ${line}`);
  const cleanups: BenchKit["cleanups"] = [];
  const interrupts: BenchKit["interrupts"] = [];
  let cleaning: Promise<void> | undefined;
  const cleanup = () =>
    (cleaning ??= (async () => {
      for (const interrupt of interrupts) interrupt();
      for (const { name: what, run } of cleanups.reverse()) {
        try {
          await run();
        } catch (e) {
          console.error(`[${name}] stopping ${what} failed:`, e);
        }
      }
    })());
  // A crash anywhere (a closed stdout pipe included) must not leave servers behind either.
  process.on("uncaughtException", (e) => {
    console.error(`[${name}] uncaught:`, e);
    void cleanup().finally(() => process.exit(1));
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
    process.on(signal, () => {
      if (!cleaning) log(`${signal}: stopping everything`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  return { log, cleanups, interrupts, cleanup, stopping: () => cleaning !== undefined };
}

/** Exits with a message when there is no production build for `npm start` to run. */
export function requireBuild(): void {
  // What `npm start` will run (it checks the same files): the folder `npm run build` completes.
  const missing = [SERVER, ...Object.values(BUNDLES).map((b) => b.out)].filter((file) => !existsSync(path.join(runtimeDir(), file)));
  if (missing.length === 0) return;
  const build = `${process.env.NEXT_DIST_DIR ? `NEXT_DIST_DIR=${process.env.NEXT_DIST_DIR} ` : ""}npm run build`;
  console.error(`No production build in ${runtimeDir()} (missing ${missing.join(", ")}): run \`${build}\` first.`);
  process.exit(1);
}

/** Every process below pid (by /proc), with its process group. */
function descendants(rootPid: number): { pid: number; pgid: number }[] {
  const parent = new Map<number, { ppid: number; pgid: number }>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses
      const [, ppid, pgid] = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parent.set(Number(entry), { ppid: Number(ppid), pgid: Number(pgid) });
    } catch {
      // gone meanwhile
    }
  }
  const found: { pid: number; pgid: number }[] = [];
  const walk = (pid: number) => {
    for (const [child, info] of parent) {
      if (info.ppid === pid) {
        found.push({ pid: child, pgid: info.pgid });
        walk(child);
      }
    }
  };
  walk(rootPid);
  return found;
}

/** CPU seconds (user + system) the processes have used so far; the ones gone meanwhile count 0. */
export function cpuSeconds(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      ticks += Number(fields[11]) + Number(fields[12]); // utime, stime
    } catch {
      // gone
    }
  }
  return ticks / 100; // USER_HZ, 100 on Linux
}

/** A process and everything below it. */
export const tree = (pid: number) => [pid, ...descendants(pid).map((p) => p.pid)];

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const signalGroup = (pgid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(-pgid, signal);
  } catch {
    // already gone
  }
};

/**
 * SIGTERM to the child's process group (npm start's supervisor then stops web and worker, each
 * in a group of its own, gracefully); after graceMs, SIGKILL to every group still alive.
 */
export async function stopTree(kit: BenchKit, child: ChildProcess, known: { pid: number; pgid: number }[], graceMs: number): Promise<void> {
  const all = [{ pid: child.pid!, pgid: child.pid! }, ...known, ...descendants(child.pid!)];
  signalGroup(child.pid!, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (all.some((p) => isAlive(p.pid)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  const left = all.filter((p) => isAlive(p.pid));
  if (left.length > 0) {
    kit.log(`still running after ${graceMs / 1000} s: ${left.map((p) => p.pid).join(", ")}; SIGKILL`);
    for (const pgid of new Set(left.map((p) => p.pgid))) signalGroup(pgid, "SIGKILL");
  }
}

export function prefixLines(stream: NodeJS.ReadableStream, prefix: string, onLine?: (line: string) => void) {
  readline.createInterface({ input: stream }).on("line", (line) => {
    onLine?.(line);
    process.stdout.write(`${prefix} ${line}\n`);
  });
}

/**
 * A database of the bench's own: `dbName` on DATABASE_URL's server (dropped and created again,
 * dropped at the end), else an embedded PostgreSQL in `embeddedDir` on `port`; migrated.
 * `postgresPids` lists the embedded server's processes (null for DATABASE_URL's).
 */
export async function openBenchDatabase(
  kit: BenchKit,
  { dbName, embeddedDir, port }: { dbName: string; embeddedDir: string; port: number },
): Promise<{ url: string; postgresPids: (() => number[]) | null }> {
  let adminUrl = process.env.DATABASE_URL;
  let postgresPids: (() => number[]) | null = null;
  if (adminUrl) {
    kit.log(`using DATABASE_URL's server (${redact(adminUrl)}), database ${dbName}`);
  } else {
    const server = await startEmbeddedPostgres({ dataDir: path.join(embeddedDir, "pg"), port, log: kit.log });
    kit.cleanups.push({ name: "PostgreSQL", run: server.stop });
    adminUrl = server.url;
    const postmaster = Number(readFileSync(path.join(embeddedDir, "pg", "postmaster.pid"), "utf8").split("\n")[0]);
    postgresPids = () => tree(postmaster);
    kit.log(`embedded PostgreSQL on port ${server.port} (data in ${path.relative(process.cwd(), embeddedDir)})`);
  }
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`drop database if exists "${dbName}" with (force)`);
  await admin.unsafe(`create database "${dbName}"`);
  await admin.end();
  kit.cleanups.push({
    name: `database ${dbName}`,
    run: async () => {
      const again = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await again.unsafe(`drop database if exists "${dbName}" with (force)`);
      await again.end();
    },
  });
  const url = withDatabase(adminUrl, dbName);
  await prepareDatabase(url);
  return { url, postgresPids };
}

async function waitForHealth(base: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer";
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(`npm start exited (${child.signalCode ?? `code ${child.exitCode}`}) before /api/health answered 200`);
    try {
      const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.status === 200) return;
      last = `${res.status} ${await res.text()}`;
    } catch (e) {
      last = String(e);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`/api/health did not answer 200 within ${timeoutMs / 1000} s (last: ${last})`);
}

/** `npm start` exactly as production runs it (web + worker), in a process group of its own. */
export async function startApp(
  kit: BenchKit,
  url: string,
  env: Record<string, string> = {},
): Promise<{ base: string; pids: () => number[] }> {
  const port = await findFreePort();
  const child = spawn("npm", ["start"], {
    env: { ...process.env, DATABASE_URL: url, PORT: String(port), LOG_LEVEL: "warn", ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  let known: { pid: number; pgid: number }[] = [];
  kit.cleanups.push({ name: "npm start", run: () => stopTree(kit, child, known, 45_000) });
  prefixLines(child.stdout!, "[app]");
  prefixLines(child.stderr!, "[app]");
  const base = `http://127.0.0.1:${port}`;
  await waitForHealth(base, child);
  known = descendants(child.pid!); // web and worker sit in groups of their own: remember them
  kit.log(`npm start is up on port ${port} (${known.length} processes under it)`);
  return { base, pids: () => tree(child.pid!) };
}

/** The bench's person (made on first use), their own workspace as a registry scope, and this month. */
export async function benchOwner(db: Db, phone: string) {
  const { person } = await findOrCreatePerson(db, phone);
  const ws = person.personalWorkspaceId;
  return { person, scope: { workspaceIds: [ws], workspaceId: ws }, month: currentMonth(env().APP_TIMEZONE) };
}

/** A table on the console: the first column left-aligned, the figures right-aligned. */
export function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
}

/** The commit measured, and whether the working tree had changes on top of it. */
export function gitDescription(): string {
  try {
    const git = (...args: string[]) => execFileSync("git", args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
    const commit = git("rev-parse", "--short", "HEAD");
    const dirty = git("status", "--porcelain", "--untracked-files=no") !== "";
    return `${commit}${dirty ? " (with uncommitted changes)" : ""}`;
  } catch {
    return "unknown";
  }
}
