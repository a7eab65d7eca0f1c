import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { findFreePort } from "@/db/embedded";
import { runningDescendants, stillRunning } from "@/scripts/lib/processes";
import type { ProcessSpec, SuperviseOptions } from "@/scripts/lib/supervisor";
import { db } from "./helpers/db";

// The supervisor of `npm run dev` and `npm start` (scripts/lib/supervisor.ts) with real
// processes: small node programs standing in for the web server and the worker, and once
// `npm run dev` itself. e2e/shutdown.spec.ts does the same with `npm start` and the real build.

const SUPERVISOR = pathToFileURL(path.resolve("scripts/lib/supervisor.ts")).href;
const node = (code: string): Omit<ProcessSpec, "name"> => ({ command: process.execPath, args: ["-e", code] });
/** Answers every request with its pid. */
const webServer = (port: number) =>
  node(`require("node:http").createServer((q, s) => s.end(String(process.pid))).listen(${port}, "127.0.0.1")`);
const idle = node(`setInterval(() => {}, 1000)`);
/** Ignores SIGTERM, and so does the child it leaves in its process group; prints that child's pid. */
const stubborn = node(`
  process.on("SIGTERM", () => {});
  const kept = require("node:child_process").spawn(process.execPath, ["-e", "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"], { stdio: "ignore" });
  console.log("grandchild " + kept.pid);
  setInterval(() => {}, 1000);`);

/** A process with its output collected line by line. */
class Watched {
  readonly lines: string[] = [];
  /** Its descendants seen so far, whoever their parent is by now (the clean-up after a failed test). */
  readonly seen = new Set<number>();
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  constructor(readonly child: ChildProcess) {
    let partial = "";
    const take = (chunk: Buffer) => {
      const parts = (partial + chunk.toString("utf8")).split("\n");
      partial = parts.pop()!;
      this.lines.push(...parts);
    };
    child.stdout!.on("data", take);
    child.stderr!.on("data", take);
    this.exited = new Promise((resolve) => child.on("exit", (code, signal) => resolve({ code, signal })));
  }
  get pid(): number {
    return this.child.pid!;
  }
  /** This process and everything it started, as now. */
  tree(): number[] {
    const pids = [this.pid, ...runningDescendants(this.pid).map((p) => p.pid)];
    for (const pid of pids) this.seen.add(pid);
    return pids;
  }
  get output(): string {
    return this.lines.join("\n");
  }
  /** The lines matching, in order. */
  matching(pattern: RegExp): RegExpMatchArray[] {
    return this.lines.map((line) => line.match(pattern)).filter((m): m is RegExpMatchArray => m !== null);
  }
  /** Waits for the n-th line matching (1-based) and returns it. */
  async line(pattern: RegExp, nth = 1, timeout = 30_000): Promise<RegExpMatchArray> {
    await expect
      .poll(() => this.matching(pattern).length, { timeout, message: `${pattern} ×${nth} in:\n${this.output}` })
      .toBeGreaterThanOrEqual(nth);
    return this.matching(pattern)[nth - 1];
  }
}

const started: Watched[] = [];
afterEach(() => {
  // A failed test must not leave its processes to the next ones.
  for (const watched of started.splice(0)) {
    for (const pid of stillRunning([...watched.seen, ...watched.tree()])) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
  }
});

/** The supervisor alone, in a process of its own (and a process group of its own). */
function supervisor(specs: ProcessSpec[], options: SuperviseOptions = {}): Watched {
  const code = `import { supervise } from ${JSON.stringify(SUPERVISOR)};
    supervise(${JSON.stringify(specs)}, async () => console.log("cleanup ran"), ${JSON.stringify(options)});`;
  const watched = new Watched(
    spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { stdio: ["ignore", "pipe", "pipe"], detached: true }),
  );
  started.push(watched);
  return watched;
}

const pidOf = async (watched: Watched, name: string, nth = 1) =>
  Number((await watched.line(new RegExp(`\\] ${name} started \\(pid (\\d+)\\)`), nth))[1]);
const answer = async (port: number) =>
  (await fetch(`http://127.0.0.1:${port}/`)
    .then((r) => r.text())
    .catch(() => null)) ?? "no answer";

/** The waits the supervisor announced before restarting `name`, in order ("0.1 s"). */
const restartWaits = (sup: Watched, name: string) =>
  sup.matching(new RegExp(`\\] ${name} .* after [\\d.]+ s: restarting it in ([\\d.]+ s)`)).map((m) => m[1]);

/** Every process of the tree, taken before it is told to stop, is gone. */
async function expectAllGone(pids: number[]) {
  await expect.poll(() => stillRunning(pids), { timeout: 30_000, message: "processes left running" }).toEqual([]);
}

describe("the supervisor", () => {
  it("restarts a killed worker while the web keeps answering, then a killed web while the worker keeps running, saying why", async () => {
    const port = await findFreePort();
    const sup = supervisor([
      { name: "web", ...webServer(port) },
      { name: "worker", ...idle },
    ]);
    const web = await pidOf(sup, "web");
    const worker = await pidOf(sup, "worker");
    await expect.poll(() => answer(port)).toBe(String(web));

    process.kill(worker, "SIGKILL");
    const answers: string[] = [];
    // The web answers, every time, until the worker is back (it waits 1 s first: there are answers).
    const restartedWorker = pidOf(sup, "worker", 2);
    for (const deadline = Date.now() + 30_000; sup.matching(/\] worker started/).length < 2 && Date.now() < deadline;)
      answers.push(await answer(port));
    expect(await restartedWorker).not.toBe(worker);
    expect(sup.output).toMatch(/\[kvartplata\] worker was killed by SIGKILL after [\d.]+ s: restarting it in 1 s/);
    expect(new Set(answers)).toEqual(new Set([String(web)]));

    process.kill(web, "SIGKILL");
    const newWeb = await pidOf(sup, "web", 2);
    expect(newWeb).not.toBe(web);
    expect(sup.output).toMatch(/\[kvartplata\] web was killed by SIGKILL after [\d.]+ s: restarting it in 1 s/);
    await expect.poll(() => answer(port)).toBe(String(newWeb));
    // The worker was left alone: the same process as before the web went down.
    expect(stillRunning([await restartedWorker])).toEqual([await restartedWorker]);
    expect(sup.matching(/\] worker started/)).toHaveLength(2);

    const tree = sup.tree();
    process.kill(sup.pid, "SIGTERM");
    expect(await sup.exited).toEqual({ code: 0, signal: null });
    await expectAllGone(tree);
  });

  it("waits twice as long after each crash in a row, up to the cap; never restarts once stopping", async () => {
    // stableMs stays at its default (60 s): a process exiting at once never counts as having stayed up.
    const sup = supervisor([{ name: "crasher", ...node(`process.exit(3)`) }], { firstDelayMs: 100, maxDelayMs: 400 });
    await sup.line(/\] crasher exited/, 6);
    expect(restartWaits(sup, "crasher").slice(0, 6)).toEqual(["0.1 s", "0.2 s", "0.4 s", "0.4 s", "0.4 s", "0.4 s"]);
    expect(sup.output).toMatch(/\] crasher exited with code 3 after [\d.]+ s: restarting it in 0.1 s/);

    process.kill(sup.pid, "SIGTERM");
    expect(await sup.exited).toEqual({ code: 0, signal: null });
    // Nothing is started once the stop began, though a restart was due.
    const stopAt = sup.lines.findIndex((line) => line.includes("SIGTERM: stopping"));
    expect(stopAt).toBeGreaterThan(0);
    expect(sup.lines.slice(stopAt).filter((line) => / started \(pid/.test(line))).toEqual([]);
    expect(sup.lines.slice(stopAt)).toContain("cleanup ran");
  });

  it("waits the first delay again after a process stayed up a while", async () => {
    // Up 0.5 s (counted from its start) each time, longer than stableMs.
    const sup = supervisor([{ name: "tired", ...node(`setTimeout(() => process.exit(0), 500)`) }], { firstDelayMs: 100, stableMs: 300 });
    await sup.line(/\] tired exited/, 3);
    expect(restartWaits(sup, "tired").slice(0, 3)).toEqual(["0.1 s", "0.1 s", "0.1 s"]);
    expect(sup.output).toMatch(/\] tired exited with code 0 after/);
    process.kill(sup.pid, "SIGTERM");
    expect(await sup.exited).toEqual({ code: 0, signal: null });
  });

  it("stops what a crashed process left in its group before starting it again", async () => {
    const sup = supervisor([{ name: "leaver", ...stubborn }], { firstDelayMs: 100, graceMs: 1_000 });
    const first = await pidOf(sup, "leaver");
    const grandchild = Number((await sup.line(/grandchild (\d+)/))[1]);
    expect(stillRunning([grandchild])).toEqual([grandchild]);

    process.kill(first, "SIGKILL");
    await pidOf(sup, "leaver", 2);
    // It ignored SIGTERM, so it was killed after the grace period, and only then the restart came.
    expect(stillRunning([grandchild])).toEqual([]);

    const tree = sup.tree();
    process.kill(sup.pid, "SIGINT");
    expect(await sup.exited).toEqual({ code: 0, signal: null });
    await expectAllGone(tree);
  });

  it("SIGTERM to its process group stops everything, SIGKILL after the grace period for what ignores SIGTERM", async () => {
    const port = await findFreePort();
    const sup = supervisor(
      [
        { name: "web", ...webServer(port) },
        { name: "stubborn", ...stubborn },
      ],
      { graceMs: 1_000 },
    );
    const web = await pidOf(sup, "web");
    await sup.line(/grandchild \d+/);
    await expect.poll(() => answer(port)).toBe(String(web));
    const tree = sup.tree();
    expect(tree.length).toBeGreaterThanOrEqual(4);

    process.kill(-sup.pid, "SIGTERM");
    expect(await sup.exited).toEqual({ code: 0, signal: null });
    await expectAllGone(tree);
    expect(sup.output).toMatch(/SIGTERM: stopping web, stubborn/);
    expect(sup.matching(/restarting/)).toEqual([]);
  });

  it("stops everything when its parent goes away without a word (npm SIGKILLed)", async () => {
    const port = await findFreePort();
    const code = `import { supervise } from ${JSON.stringify(SUPERVISOR)};
      supervise(${JSON.stringify([{ name: "web", ...webServer(port) }])}, async () => console.log("cleanup ran"));`;
    // Stands in for npm: the supervisor's parent, passing its output through.
    const parent = new Watched(
      spawn(
        process.execPath,
        [
          "-e",
          `require("node:child_process").spawn(process.execPath, ${JSON.stringify(["--import", "tsx", "--input-type=module", "-e", code])}, { stdio: "inherit" });
           setInterval(() => {}, 1000);`,
        ],
        { stdio: ["ignore", "pipe", "pipe"], detached: true },
      ),
    );
    started.push(parent);
    const web = await pidOf(parent, "web");
    await expect.poll(() => answer(port)).toBe(String(web));
    const tree = parent.tree();

    process.kill(parent.pid, "SIGKILL");
    await expectAllGone(tree);
    // The last lines may still be in the pipe when the processes are gone: read until they arrive.
    await expect.poll(() => parent.output, { timeout: 10_000 }).toMatch(/the parent process \(\d+\) went away: stopping web/);
    await expect.poll(() => parent.output, { timeout: 10_000 }).toContain("cleanup ran");
  });
});

describe("npm run dev", () => {
  it(
    "serves the app to http://127.0.0.1 as well as localhost; SIGTERM to the npm process stops npm, the supervisor, the web server and the worker: nothing is left",
    { timeout: 420_000 },
    async () => {
      const port = await findFreePort();
      const npm = new Watched(
        spawn("npm", ["run", "dev"], {
          // DATABASE_URL: this file's database (migrated; the demo data goes into it). Not NODE_ENV=test.
          env: { ...process.env, NODE_ENV: "development", PORT: String(port), LOG_LEVEL: "info", WORKER_HEARTBEAT_SECONDS: "1" },
          stdio: ["ignore", "pipe", "pipe"],
          detached: true,
        }),
      );
      started.push(npm);
      const web = await pidOf(npm, "web");
      const worker = await pidOf(npm, "worker");
      await npm.line(/\[web\].*Ready in/, 1, 120_000);

      // The app opened as http://127.0.0.1 rather than localhost: the dev server serves it its
      // scripts and its hot-reload socket (it refuses other origins, and a page without them
      // never becomes interactive).
      const origin = `http://127.0.0.1:${port}`;
      const html = await (await fetch(`${origin}/login`, { signal: AbortSignal.timeout(180_000) })).text();
      const script = html.match(/src="(\/_next\/static\/[^"]+\.js)"/)?.[1];
      expect(script, "the page names its scripts").toBeTruthy();
      const asTheBrowser = { origin, referer: `${origin}/login`, "sec-fetch-site": "same-origin" };
      expect((await fetch(`${origin}${script}`, { headers: { ...asTheBrowser, "sec-fetch-mode": "cors" } })).status).toBe(200);
      expect(
        (await fetch(`${origin}/_next/webpack-hmr?id=1`, { headers: { ...asTheBrowser, "sec-fetch-mode": "websocket" } })).status,
      ).not.toBe(403);
      await expect
        .poll(async () => (await db().execute<{ pid: number }>(sql`select pid from worker_heartbeat`)).rows.map((r) => r.pid), {
          timeout: 120_000,
        })
        .not.toEqual([]);
      const tree = npm.tree();
      expect(tree).toEqual(expect.arrayContaining([web, worker]));

      process.kill(npm.pid, "SIGTERM");
      await expectAllGone(tree);
      expect(await npm.exited).toMatchObject({ code: 0 });
      expect(npm.output).toMatch(/SIGTERM: stopping (web, worker|worker, web)/);
      expect(npm.output).toMatch(/worker stopped/);
      expect(npm.output).toContain("[kvartplata] stopped");
    },
  );
});
