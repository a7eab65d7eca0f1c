import { spawn } from "node:child_process";
import { once } from "node:events";
import http from "node:http";
import net from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import postgres from "postgres";
import { findFreePort } from "../db/embedded";
import { runtimeDir, SERVER } from "../scripts/lib/runtime-layout";
import { newSession, uniqueAddress } from "./helpers";

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
