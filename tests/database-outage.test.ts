import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "../db/client";
import { startEmbeddedPostgres, type RunningPostgres } from "../db/embedded";
import { prepareDatabase } from "../scripts/lib/prepare-database";
import { withDatabase } from "../scripts/lib/database";
import { api, type ApiResponse } from "./helpers/api";
import { testPerson, type TestPerson } from "./helpers/auth";
import {
  createHouse,
  createTariffs,
  expectOneInvoiceEach,
  getRun,
  invoiceRows,
  seedApartments,
  startHouseRun,
  waitForRun,
  type Run,
} from "./helpers/billing-runs";
import { apiError, createApartment, createMeter, createHouse as createOtherHouse } from "./helpers/fixtures";
import { until } from "./helpers/wait";
import { killWorkers, startWorker, tails, type WorkerProcess } from "./helpers/worker";

// A database that goes away and comes back, under the real route handlers (in this process, on
// the app's own pool, db/client.ts) and a real worker process billing a run: its connections
// terminated with pg_terminate_backend (what a fail-over or an administrator does), and the
// server itself stopped and started again. This file has a PostgreSQL server of its own, since
// the one the other files share cannot be stopped under them.
//
// Requests that meet the outage are answered 503 database_unavailable with Retry-After, never a
// 500; /api/health says down; neither process crashes; both go on by themselves once it is back;
// the run completes with the invoices of a clean run. The recovery times are printed ([outage]).

let server: RunningPostgres;
let dataDir: string;
let me: TestPerson;
/** the house the requests under load read and write: not the one being billed */
let requested: { houseId: number; meterId: number };

beforeAll(async () => {
  dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "kvartplata-outage-"));
  await fs.chmod(dataDir, 0o755);
  server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: 55480, fast: true });
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query("create database kvartplata_outage");
  await admin.end();
  const url = withDatabase(server.url, "kvartplata_outage");
  await prepareDatabase(url);
  await closeDb();
  process.env.DATABASE_URL = url;
  me = await testPerson();
  await createTariffs(me);
  const house = await createOtherHouse("ул. Запросов, 1");
  const meter = await createMeter((await createApartment(house.id, { number: "1", area: "40.00" })).id);
  requested = { houseId: house.id, meterId: meter.id };
}, 120_000);

afterEach(killWorkers);

afterAll(async () => {
  await closeDb();
  await server?.stop();
  if (dataDir) await fs.rm(dataDir, { recursive: true, force: true });
});

/**
 * Terminates every other session of this file's database, from a connection of its own. The
 * sessions are listed first and terminated after: in one WHERE, PostgreSQL may call
 * pg_terminate_backend before it checks `pid <> pg_backend_pid()`, and terminate the caller too.
 */
async function terminateConnections(): Promise<number> {
  const killer = new pg.Client({ connectionString: process.env.DATABASE_URL! });
  await killer.connect();
  try {
    const { rows } = await killer.query<{ pid: number }>(
      "select pid from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()",
    );
    let terminated = 0;
    for (const { pid } of rows) {
      const { rows: done } = await killer.query<{ ok: boolean }>("select pg_terminate_backend($1) as ok", [pid]);
      if (done[0].ok) terminated++;
    }
    return terminated;
  } finally {
    await killer.end();
  }
}

/** In-process requests of every kind, in `lanes` loops, until stopped: what each was answered. */
function underLoad(lanes = 12) {
  const { houseId, meterId } = requested;
  const requests = [
    () => api("GET", `/api/houses/${houseId}`),
    () => api("GET", "/api/houses?limit=5"),
    () => api("PUT", `/api/meters/${meterId}/readings/2024-01`, { value: "10.000" }),
    () => api("POST", `/api/houses/${houseId}/readings`, { period: "2024-02", readings: [{ meter_id: meterId, value: "12.500" }] }),
    () => api("GET", `/api/houses/${houseId}/invoices?period=2024-02`),
  ];
  const answers: { at: number; res: ApiResponse }[] = [];
  let stopped = false;
  const lane = async (i: number) => {
    for (let n = i; !stopped; n++) answers.push({ at: performance.now(), res: await requests[n % requests.length]() });
  };
  const running = Array.from({ length: lanes }, (_, i) => lane(i));
  return {
    answers,
    requests,
    stop: async () => {
      stopped = true;
      await Promise.all(running);
    },
  };
}

/** Every answer a 2xx or a 503 database_unavailable with its Retry-After; the counts by status. */
function expectNo500(answers: { res: ApiResponse }[]): Record<number, number> {
  const counts: Record<number, number> = {};
  for (const { res } of answers) counts[res.status] = (counts[res.status] ?? 0) + 1;
  expect(
    answers.filter(({ res }) => ![200, 201, 503].includes(res.status)).map(({ res }) => res.body),
    JSON.stringify(counts),
  ).toEqual([]);
  for (const { res } of answers.filter(({ res }) => res.status === 503)) {
    expect(res.body).toEqual(apiError("unavailable", undefined, { reason: "database_unavailable" }));
    expect(res.headers.get("retry-after")).toBe("5");
    expect(res.body.error.retry_after).toBe(5);
  }
  return counts;
}

/**
 * A house of `count` apartments and a worker billing it, slowly enough (a pause after each chunk
 * of 25) that the outage meets the run in progress.
 */
async function runUnderWay(address: string, count: number) {
  const houseId = await createHouse(me, address);
  const apartments = await seedApartments(me.workspaceId, houseId, count);
  const worker = await startWorker({ BILLING_CHUNK_SIZE: "25", BILLING_CHUNK_PAUSE_MS: "100" });
  await until(async () => (await health()).body.status === "ok", "health to be ok with the worker up", 30_000, tails([worker]));
  const run = await startHouseRun(houseId, me);
  await until(async () => (await getRun(run.id, me)).processed > 0, "the run to be under way", 30_000, tails([worker]));
  return { houseId, apartments, worker, run };
}

/** The run's apartments billed so far (read on a connection of its own: the app's pool may be the one failing). */
async function processed(runId: number): Promise<number> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL! });
  await client.connect();
  try {
    return (await client.query<{ processed: number }>("select processed from billing_run where id = $1", [runId])).rows[0].processed;
  } finally {
    await client.end();
  }
}

/**
 * The run completes, its worker never having exited, with one invoice per apartment; then the month
 * is billed again by a new worker that nothing interrupts, and its invoices must equal the run's.
 */
async function expectCompletedAsCleanRun(houseId: number, apartments: number[], run: Run, worker: WorkerProcess) {
  const done = await waitForRun(run.id, me, [worker], 120_000);
  expect(worker.exited(), tails([worker])()).toBe(false);
  expect(done).toMatchObject({ processed: apartments.length, total: apartments.length });
  await expectOneInvoiceEach(apartments, run.id);
  const afterOutage = await invoiceRows(houseId);
  const cleanWorker = await startWorker();
  const again = await startHouseRun(houseId, me);
  const clean = await waitForRun(again.id, me, [cleanWorker], 60_000);
  expect(afterOutage).toHaveLength(apartments.length);
  expect(afterOutage).toEqual(await invoiceRows(houseId));
  expect(done.summary).toEqual(clean.summary);
  await expectOneInvoiceEach(apartments, again.id);
}

const health = () => api("GET", "/api/health", undefined, { token: null });
const logTime = (worker: WorkerProcess, msg: string, after: number) =>
  worker.logs().find((l) => l.msg === msg && typeof l.time === "number" && l.time >= after)?.time as number | undefined;

describe("the database going away under requests and a billing run", () => {
  it("connections terminated again and again: 503 (never 500) to the requests that met it, the run completes as a clean run", async () => {
    const { houseId, apartments, worker, run } = await runUnderWay("ул. Обрывов, 1", 2000);

    const load = underLoad();
    let terminated = 0;
    try {
      for (let round = 0; round < 6; round++) {
        const answered = load.answers.length;
        const billed = await processed(run.id);
        // Between two terminations the requests are answered again and the worker commits a chunk again.
        await until(() => load.answers.length >= answered + 10, "requests to be answered between terminations", 30_000);
        await until(async () => (await processed(run.id)) > billed, "the worker to bill a chunk again", 30_000, tails([worker]));
        terminated += await terminateConnections();
      }
    } finally {
      await load.stop();
    }
    const counts = expectNo500(load.answers);
    console.info(
      `[outage] terminations: ${load.answers.length} requests while ${terminated} connections were terminated in 6 rounds: ${JSON.stringify(counts)}; run at ${await processed(run.id)}/2000`,
    );
    expect(terminated).toBeGreaterThan(6);

    // Recovered at once: every kind of request succeeds on new connections.
    for (const request of load.requests) expect([200, 201]).toContain((await request()).status);
    await expectCompletedAsCleanRun(houseId, apartments, run, worker);
  }, 300_000);

  it("PostgreSQL stopped and started mid-run: health says down, requests 503, then both recover by themselves", async () => {
    const { houseId, apartments, worker, run } = await runUnderWay("ул. Перезапусков, 2", 1500);
    const load = underLoad(4);
    let down: ApiResponse | undefined;
    try {
      await until(() => load.answers.length >= 10, "requests to be answered before the stop", 30_000);
      const stoppingAt = Date.now();
      const stopping = performance.now();
      await server.stop();
      down = await health();
      // The worker noticed: a part waiting for the database (not a crash).
      await until(
        () => logTime(worker, "billing part waits: the database cannot be reached", stoppingAt),
        "the part to wait",
        30_000,
        tails([worker]),
      );
      await until(() => load.answers.some(({ at, res }) => res.status === 503 && at > stopping), "a request answered 503", 30_000);

      const restartAt = performance.now();
      const restartAtWall = Date.now();
      server = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pg"), port: server.port, fast: true });
      const readyIn = performance.now() - restartAt;
      const answeredAgain = () => load.answers.find(({ at, res }) => res.status < 300 && at > restartAt);
      const { at: answeredAt } = await until(answeredAgain, "a request answered 2xx after the restart", 30_000);
      await until(async () => (await health()).body.status === "ok", "health to be ok again", 30_000, tails([worker]));
      const healthOkIn = performance.now() - restartAt;
      const goesOn = () => logTime(worker, "billing part goes on: the database is back", restartAtWall);
      const resumedAt = await until(goesOn, "the part to go on", 30_000, tails([worker]));
      console.info(
        `[outage] restart: from the restart's start (PostgreSQL accepting connections after ${Math.round(readyIn)} ms): web answering 2xx after ${Math.round(answeredAt - restartAt)} ms, /api/health ok after ${Math.round(healthOkIn)} ms, the worker's part going on after ${resumedAt - restartAtWall} ms`,
      );
    } finally {
      await load.stop();
    }
    expect(down?.status).toBe(503);
    expect(down?.body).toMatchObject({ status: "down", checks: { database: { ok: false } } });
    const counts = expectNo500(load.answers);
    expect(counts[503]).toBeGreaterThan(0);
    console.info(`[outage] restart: ${load.answers.length} requests: ${JSON.stringify(counts)}`);

    await expectCompletedAsCleanRun(houseId, apartments, run, worker);
  }, 300_000);
});
