import { spawn } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { findFreePort } from "../db/embedded";
import { runningDescendants, stillRunning } from "../scripts/lib/processes";
import { runtimeDir, SERVER } from "../scripts/lib/runtime-layout";
import { bearer, newSession, uniqueAddress } from "./helpers";

// SIGTERM to the production web server (the standalone server.js the image runs): it stops
// taking new connections, lets the request in flight finish with its answer, then exits.
// The request is held in flight by a row lock, so nothing here depends on timing.

// A new TCP connection, never one from fetch's keep-alive pool: Node keeps serving a connection
// it accepted before close() (as it should), so a pooled one says nothing about new clients.
function connects(port: number): Promise<"accepted" | "refused"> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve("accepted");
    });
    socket.once("error", () => resolve("refused"));
  });
}

interface Answer {
  status: number;
  body: string;
  connection: string | undefined;
  /** whether the socket was closed right after the answer */
  socketClosed: boolean;
}

function send(url: string, agent: http.Agent, options: { method: string; headers: Record<string, string>; body: string }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { agent, method: options.method, headers: options.headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk) => (body += chunk));
      response.on("end", () =>
        // The client ends a socket the server said it will close as soon as the answer is read.
        setImmediate(() =>
          resolve({
            status: response.statusCode!,
            body,
            connection: response.headers.connection,
            socketClosed: request.socket?.destroyed ?? true,
          }),
        ),
      );
    });
    request.on("error", reject);
    request.end(options.body);
  });
}

test("a SIGTERMed web server finishes the request in flight, refuses new ones, and exits", async () => {
  const databaseUrl = process.env.E2E_DATABASE_URL!;
  const { token } = await newSession();
  const port = await findFreePort();
  const base = `http://127.0.0.1:${port}`;
  const server = spawn(process.execPath, [SERVER], {
    cwd: path.resolve(runtimeDir()),
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: String(port),
      HOSTNAME: "127.0.0.1",
      NODE_ENV: "production",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout!.on("data", (chunk) => (output += chunk));
  server.stderr!.on("data", (chunk) => (output += chunk));
  const exited = once(server, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const sql = postgres(databaseUrl, { max: 2, onnotice: () => {} });
  try {
    await expect
      .poll(
        async () => (await fetch(`${base}/api/houses`, { headers: { authorization: `Bearer ${token}` } }).catch(() => null))?.status ?? 0,
        {
          timeout: 30_000,
          message: `the server to start: ${output}`,
        },
      )
      .toBe(200);
    const created = await fetch(`${base}/api/houses`, {
      method: "POST",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ address: uniqueAddress("ул. Остановочная, д. 1") }),
    });
    expect(created.status).toBe(201);
    const houseId = (await created.json()).id as number;

    // Hold the house's row so that a PATCH of it waits inside the server.
    const lock = await sql.reserve();
    await lock`begin`;
    await lock`select id from house where id = ${houseId} for update`;
    const [{ pid: lockPid }] = await lock`select pg_backend_pid() as pid`;
    // Over a kept-alive connection, as a proxy sends it; settled into a value at once, so that
    // a failure is reported where it is awaited below.
    const pooled = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const inFlight = send(`${base}/api/houses/${houseId}`, pooled, {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ address: uniqueAddress("ул. Дождавшаяся, д. 2") }),
    }).then(
      (answer) => answer,
      (error: Error) => error,
    );
    await expect
      .poll(
        async () =>
          (
            await sql`select count(*)::int as n from pg_stat_activity
                      where pg_backend_pid() <> pid and ${lockPid} = any(pg_blocking_pids(pid))`
          )[0].n,
        { message: "the PATCH to wait on our lock" },
      )
      .toBe(1);

    server.kill("SIGTERM");
    // New connections are refused once the server closed its listener.
    await expect.poll(() => connects(port), { message: "new connections refused" }).toBe("refused");
    expect(server.exitCode).toBeNull(); // still up: the PATCH has not been answered

    await lock`commit`;
    lock.release();
    const answer = await inFlight;
    if (answer instanceof Error) throw new Error(`the PATCH in flight failed: ${String(answer)}\n${output}`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).address).toContain("ул. Дождавшаяся");
    // Its connection is not kept for more: a proxy's pooled connection cannot hold the server up.
    expect([answer.connection, answer.socketClosed]).toEqual(["close", true]);
    const [code, signal] = await exited;
    // Next.js's own SIGTERM handler closes the server, then exits 143 (128 + SIGTERM).
    expect([code, signal], output).toEqual([143, null]);
  } finally {
    if (server.exitCode === null && server.signalCode === null) server.kill("SIGKILL");
    await sql.end({ timeout: 5 });
  }
});

// `npm start` as a process manager runs it: the supervisor restarts the web server or the worker
// when one dies, the other going on meanwhile, and SIGTERM to the npm process (what systemd or
// Playwright sends) stops every process it started. Timings are written to the test's
// annotations for the record, never asserted.
test("npm start: a killed worker or web server is restarted while the other keeps going; SIGTERM to npm leaves nothing running", async () => {
  test.setTimeout(240_000);
  const databaseUrl = process.env.E2E_DATABASE_URL!;
  const { token } = await newSession();
  const port = await findFreePort();
  const base = `http://127.0.0.1:${port}`;
  const npm = spawn("npm", ["start"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), LOG_LEVEL: "warn", WORKER_HEARTBEAT_SECONDS: "1" },
    stdio: ["ignore", "pipe", "pipe"],
    // a process group of its own, as under a process manager: the clean-up below can reach all of it
    detached: true,
  });
  let output = "";
  npm.stdout!.on("data", (chunk) => (output += chunk));
  npm.stderr!.on("data", (chunk) => (output += chunk));
  const exited = once(npm, "exit") as Promise<[number | null, NodeJS.Signals | null]>;
  const starts = (name: string) =>
    [...output.matchAll(new RegExp(`\\[kvartplata\\] ${name} started \\(pid (\\d+)\\)`, "g"))].map((m) => Number(m[1]));
  const started = async (name: string, count: number) => {
    await expect.poll(() => starts(name).length, { timeout: 60_000, message: `${name} started ${count}×: ${output}` }).toBe(count);
    return starts(name)[count - 1];
  };
  const houses = async () =>
    (await fetch(`${base}/api/houses?limit=1`, { headers: bearer(token) }).catch(() => null))?.status ?? "no answer";
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
  const beating = async (pid: number) =>
    (await sql<{ seen: Date }[]>`select last_seen_at as seen from worker_heartbeat where pid = ${pid}`)[0]?.seen ?? null;
  const note = (what: string, ms: number) => test.info().annotations.push({ type: "timing", description: `${what}: ${Math.round(ms)} ms` });
  let tree: number[] = [];
  try {
    const web = await started("web", 1);
    const worker = await started("worker", 1);
    await expect.poll(houses, { timeout: 60_000, message: `the web server to answer: ${output}` }).toBe(200);
    await expect.poll(() => beating(worker), { timeout: 60_000, message: "the worker's heartbeat" }).not.toBeNull();

    // The worker dies: it is started again, and the web server answers all along.
    let since = performance.now();
    process.kill(worker, "SIGKILL");
    const answers: (number | string)[] = [];
    for (const deadline = Date.now() + 60_000; starts("worker").length < 2 && Date.now() < deadline;) answers.push(await houses());
    const worker2 = await started("worker", 2);
    note("worker SIGKILLed → started again", performance.now() - since);
    expect(output).toMatch(/\[kvartplata\] worker was killed by SIGKILL after [\d.]+ s: restarting it in 1 s/);
    expect(new Set(answers)).toEqual(new Set([200]));
    await expect.poll(() => beating(worker2), { timeout: 60_000, message: "the new worker's heartbeat" }).not.toBeNull();

    // The web server dies: it is started again, and the worker goes on (the same process, beating).
    const beatBefore = (await beating(worker2))!;
    since = performance.now();
    process.kill(web, "SIGKILL");
    const web2 = await started("web", 2);
    await expect.poll(houses, { timeout: 60_000, message: `the new web server to answer: ${output}` }).toBe(200);
    note("web SIGKILLed → answering again", performance.now() - since);
    expect(web2).not.toBe(web);
    expect(output).toMatch(/\[kvartplata\] web was killed by SIGKILL after [\d.]+ s: restarting it in 1 s/);
    await expect
      .poll(async () => (await beating(worker2))!.getTime(), { message: "the worker still beating" })
      .toBeGreaterThan(beatBefore.getTime());
    expect(starts("worker")).toHaveLength(2);
    expect(stillRunning([worker2])).toEqual([worker2]);

    // SIGTERM to npm alone: everything it started stops.
    tree = [npm.pid!, ...runningDescendants(npm.pid!).map((p) => p.pid)];
    expect(tree).toEqual(expect.arrayContaining([web2, worker2]));
    since = performance.now();
    npm.kill("SIGTERM");
    await expect.poll(() => stillRunning(tree), { timeout: 60_000, message: `processes left running: ${output}` }).toEqual([]);
    note("SIGTERM to npm → nothing left", performance.now() - since);
    const [code] = await exited;
    expect(code, output).toBe(0);
    expect(output).toMatch(/\[kvartplata\] SIGTERM: stopping (web, worker|worker, web)/);
    expect(output).toContain("[kvartplata] stopped");
    expect(await connects(port)).toBe("refused");
    expect(await beating(worker2), "the worker removed its heartbeat: it stopped gracefully").toBeNull();
  } finally {
    for (const pid of stillRunning([...tree, npm.pid!, ...runningDescendants(npm.pid!).map((p) => p.pid)])) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // gone meanwhile
      }
    }
    await sql.end({ timeout: 5 });
  }
});
