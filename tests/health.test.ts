import net from "node:net";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../db/connect";
import { workerHeartbeat } from "../db/schema";
import { createBoss } from "../lib/jobs/boss";
import { BILLING_PART, BILLING_PLAN } from "../lib/jobs/queues";
import { checkHealth } from "../lib/ops/health";
import { api } from "./helpers/api";
import { db } from "./helpers/db";
import { until } from "./helpers/wait";
import { killWorkers, startWorker } from "./helpers/worker";

const health = () => api("GET", "/api/health", undefined, { token: null });

async function beat(secondsAgo = 0) {
  await db()
    .insert(workerHeartbeat)
    .values({
      workerId: `test-${secondsAgo}`,
      hostname: "test",
      pid: 1,
      startedAt: new Date(),
      lastSeenAt: sql`now() - make_interval(secs => ${secondsAgo})`,
    });
}

const heartbeats = async () =>
  (await db().execute<{ pid: number; last_seen_at: string }>(sql`select pid, last_seen_at::text from worker_heartbeat`)).rows;

beforeEach(async () => {
  await db().execute(sql`delete from worker_heartbeat`);
});

describe("GET /api/health", () => {
  it("answers 200 without a credential when everything is up", async () => {
    // The route's first call imports it (over a second on a loaded machine), and age_seconds
    // counts from the heartbeat below to the query: import it before the heartbeat.
    await health();
    await beat(5);
    const res = await health();
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.body).toEqual({
      status: "ok",
      checks: {
        database: { ok: true, latency_ms: expect.any(Number) },
        migrations: { ok: true, applied: expect.any(Number), expected: expect.any(Number) },
        // 5 s old when written; a loaded machine may take a second more to ask
        worker: {
          ok: true,
          last_heartbeat_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
          age_seconds: expect.any(Number),
        },
        queue: { ok: true, queued: 0, active: 0 },
      },
    });
    expect(res.body.checks.migrations.applied).toBe(res.body.checks.migrations.expected);
    expect(res.body.checks.worker.age_seconds).toBeGreaterThanOrEqual(5);
  });

  it("is 503 with worker.ok false when no worker has ever beaten", async () => {
    const res = await health();
    expect(res.status).toBe(503);
    expect(res.body.status).toBe("degraded");
    expect(res.body.checks.worker).toEqual({ ok: false, reason: "no worker heartbeat", last_heartbeat_at: null, age_seconds: null });
    expect(res.body.checks.database.ok).toBe(true);
  });

  it("is 503 when the newest heartbeat is older than the limit", async () => {
    await beat(120);
    await beat(61);
    const res = await health();
    expect(res.status).toBe(503);
    expect(res.body.checks.worker).toMatchObject({ ok: false, reason: "worker heartbeat too old", age_seconds: 61 });

    const relaxed = await checkHealth(db(), { heartbeatMaxAgeSeconds: 300 });
    expect(relaxed.checks.worker.ok).toBe(true);
  });

  it("takes the limit from WORKER_HEARTBEAT_MAX_AGE_SECONDS", async () => {
    await beat(30);
    expect((await health()).status).toBe(200);
    process.env.WORKER_HEARTBEAT_MAX_AGE_SECONDS = "20";
    try {
      const res = await health();
      expect(res.status).toBe(503);
      expect(res.body.checks.worker.ok).toBe(false);
    } finally {
      delete process.env.WORKER_HEARTBEAT_MAX_AGE_SECONDS;
    }
  });

  it("counts the billing queues' waiting and active jobs only", async () => {
    await beat();
    const boss = createBoss(process.env.DATABASE_URL!, { supervise: false, schedule: false, migrate: false, max: 1 });
    await boss.start();
    try {
      await boss.send(BILLING_PLAN, { runId: 1 });
      await boss.send(BILLING_PLAN, { runId: 2 });
      await boss.send(BILLING_PART, { runId: 1, partId: 1 });
      await boss.send(BILLING_PART, { runId: 1, partId: 2 });
      await boss.createQueue("not-billing");
      await boss.send("not-billing", {});
      const [first, second] = await boss.fetch(BILLING_PART, { batchSize: 2 });
      await boss.fail(BILLING_PART, first.id); // retried later: waiting again
      await boss.complete(BILLING_PLAN, (await boss.fetch(BILLING_PLAN))[0].id);

      const res = await health();
      expect(res.status).toBe(200);
      // plan: 1 created (1 completed); part: 1 retry, 1 active
      expect(res.body.checks.queue).toEqual({ ok: true, queued: 2, active: 1 });
      expect(second.id).toBeTruthy();
    } finally {
      await boss.stop({ graceful: false, wait: true });
    }
  });

  it("is 503 when a migration has not been applied, and says how many", async () => {
    await beat();
    const {
      rows: [last],
    } = await db().execute<{ id: number; hash: string; created_at: string }>(
      sql`delete from drizzle.__drizzle_migrations
          where id = (select id from drizzle.__drizzle_migrations order by created_at desc limit 1)
          returning id, hash, created_at::text`,
    );
    try {
      const res = await health();
      expect(res.status).toBe(503);
      expect(res.body.status).toBe("degraded");
      const { migrations } = res.body.checks;
      expect(migrations).toEqual({
        ok: false,
        reason: "migrations pending",
        applied: migrations.expected - 1,
        expected: migrations.expected,
      });
    } finally {
      await db().execute(
        sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${last.id}, ${last.hash}, ${last.created_at}::bigint)`,
      );
    }
    expect((await health()).status).toBe(200);
  });

  it("is 503 'down' when the database refuses connections, without the error text", async () => {
    const dead = createDb("postgres://nobody:secret@127.0.0.1:1/nothing", { max: 1 });
    try {
      const report = await checkHealth(dead.db, { heartbeatMaxAgeSeconds: 60, timeoutMs: 2000 });
      expect(report).toEqual({
        status: "down",
        checks: {
          database: { ok: false, reason: "database unreachable", latency_ms: null },
          migrations: { ok: false, reason: "database unreachable", applied: null, expected: expect.any(Number) },
          worker: { ok: false, reason: "database unreachable", last_heartbeat_at: null, age_seconds: null },
          queue: { ok: false, reason: "database unreachable", queued: null, active: null },
        },
      });
      expect(JSON.stringify(report)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|secret/);
    } finally {
      await dead.close();
    }
  });

  it("gives up on a server that accepts the connection and never answers", async () => {
    // A TCP peer that swallows the startup message: without the check's own timeout the
    // connection attempt would wait for postgres.js's 30 s connect timeout.
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const { port } = silent.address() as net.AddressInfo;
    const dead = createDb(`postgres://nobody@127.0.0.1:${port}/nothing`, { max: 1 });
    try {
      const report = await checkHealth(dead.db, { heartbeatMaxAgeSeconds: 60, timeoutMs: 300 });
      expect(report.status).toBe("down");
      expect(report.checks.database).toEqual({ ok: false, reason: "database unreachable", latency_ms: null });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
      // The abandoned attempt is still queued in the client: drop it instead of waiting 5 s.
      await dead.close();
    }
  });
});

describe("worker heartbeat", () => {
  it("a running worker keeps its row fresh and removes it on SIGTERM", async () => {
    const worker = await startWorker({ WORKER_HEARTBEAT_SECONDS: "1" });
    const child = worker.child;
    try {
      const [first] = await heartbeats();
      expect(first.pid).toBe(child.pid);
      // WORKER_HEARTBEAT_SECONDS=1: the row is stamped again shortly
      await until(async () => (await heartbeats())[0]?.last_seen_at > first.last_seen_at, "a second heartbeat", 30_000);

      const res = await health();
      expect(res.status).toBe(200);
      expect(res.body.checks.worker).toMatchObject({ ok: true, age_seconds: expect.any(Number) });

      child.kill("SIGTERM");
      expect((await worker.exit).code).toBe(0);
      expect(worker.output()).toContain("worker stopped");
      expect(await heartbeats()).toEqual([]);
      expect((await health()).body.checks.worker).toMatchObject({ ok: false, reason: "no worker heartbeat" });
    } finally {
      await killWorkers();
    }
  });
});
