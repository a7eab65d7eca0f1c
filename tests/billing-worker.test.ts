import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { api } from "./helpers/api";
import { signIn, testPerson, type TestPerson } from "./helpers/auth";
import { billInline } from "./helpers/billing";
import { blocksAnother, db } from "./helpers/db";
import { until } from "./helpers/wait";
import {
  as,
  createHouse,
  createTariffs,
  expectedPercent,
  expectOneInvoiceEach,
  getRun,
  invoiceRows,
  PERIOD,
  PERIOD_DATE,
  runRow,
  seedApartments,
  startHouseRun,
  waitForRun,
  type Run,
} from "./helpers/billing-runs";
import { killWorkers, startWorker, tails, type WorkerProcess } from "./helpers/worker";

// The billing engine's background behaviour through the real path: route → pg-boss (same
// transaction) → worker processes spawned on this file's database.

afterEach(killWorkers);

// ---- tests ----------------------------------------------------------------------------------

let me: TestPerson;
beforeAll(async () => {
  me = await testPerson();
  await createTariffs(me);
});

describe("billing runs in the background", () => {
  it("a house run goes through pg-boss to a worker and completes, with progress that only grows", async () => {
    const houseId = await createHouse(me, "ул. Прогресса, 1");
    const apartments = await seedApartments(me.workspaceId, houseId, 1000);
    const worker = await startWorker({ BILLING_CHUNK_SIZE: "25", BILLING_CHUNK_PAUSE_MS: "40" });

    const started = await startHouseRun(houseId, me);
    expect(started.total).toBe(1000);
    expect(started.percent).toBe(0);

    const seen: Run[] = [];
    await until(
      async () => {
        const run = await getRun(started.id, me);
        seen.push(run);
        return run.status === "completed" || run.status === "failed";
      },
      "the run to finish",
      30_000,
      () => `last seen: ${JSON.stringify(seen.at(-1))}\n${tails([worker])()}`,
    );

    const order = { queued: 0, running: 1, completed: 2, failed: 2 };
    for (const [i, run] of seen.entries()) {
      expect(run.total, JSON.stringify(run)).toBe(1000);
      expect(run.processed).toBeGreaterThanOrEqual(0);
      expect(run.processed).toBeLessThanOrEqual(run.total);
      expect(run.percent, JSON.stringify(run)).toBe(expectedPercent(run));
      if (i > 0) {
        expect(run.processed, `sample ${i} after ${JSON.stringify(seen[i - 1])}`).toBeGreaterThanOrEqual(seen[i - 1].processed);
        expect(order[run.status]).toBeGreaterThanOrEqual(order[seen[i - 1].status]);
      }
    }
    // The polling did see the run under way, not only its start and end.
    expect(seen.some((r) => r.status === "running" && r.processed > 0 && r.processed < r.total)).toBe(true);

    const done = seen.at(-1)!;
    expect(done).toMatchObject({ status: "completed", processed: 1000, total: 1000, percent: 100, error: null });
    expect(done.started_at).not.toBeNull();
    expect(done.finished_at).not.toBeNull();
    expect(done.summary.invoices).toBe(1000);

    const invoices = await api("GET", `/api/houses/${houseId}/invoices?period=${PERIOD}`, undefined, as(me));
    expect(invoices.status).toBe(200);
    expect(invoices.body.items.map((i: { apartment_id: number }) => i.apartment_id).sort((a: number, b: number) => a - b)).toEqual(
      apartments,
    );
    expect(invoices.body.totals.total).toBe(done.summary.total);
    await expectOneInvoiceEach(apartments, started.id);

    // The worker's log tells the run's story: planned, then every chunk with the progress after it.
    const logs = worker.logs().filter((l) => l.runId === started.id);
    expect(logs.find((l) => l.msg === "billing run planned")).toMatchObject({ result: "planned", parts: 1 });
    const chunks = logs.filter((l) => l.msg === "billing chunk committed");
    expect(chunks).toHaveLength(1000 / 25);
    expect(chunks.map((l) => l.processed)).toEqual(chunks.map((_, i) => (i + 1) * 25));
    expect(chunks.every((l) => l.total === 1000 && l.billed === 25 && l.level === 30)).toBe(true);
    expect(logs.find((l) => l.msg === "billing part done")).toMatchObject({ billed: 1000 });
  }, 60_000);

  it("50 concurrent identical starts give one run: one 202, the others 200 with its id", async () => {
    const houseId = await createHouse(me, "ул. Одновременная, 2");
    await seedApartments(me.workspaceId, houseId, 5);

    const answers = await Promise.all(
      Array.from({ length: 50 }, () => api<Run>("POST", `/api/houses/${houseId}/billing-runs`, { period: PERIOD }, as(me))),
    );

    const statuses = answers.map((a) => a.status);
    expect(statuses.filter((s) => s === 202)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(49);
    const id = answers.find((a) => a.status === 202)!.body.id;
    expect(new Set(answers.map((a) => a.body.id))).toEqual(new Set([id]));
    for (const a of answers) expect(a.body).toMatchObject({ house_id: houseId, period: PERIOD, total: 5 });

    const { rows: runs } = await db().execute(
      sql`select id from billing_run where house_id = ${houseId}::int and period = ${PERIOD_DATE}::date`,
    );
    expect(runs).toEqual([{ id }]);
    // and exactly one job was enqueued for it
    const {
      rows: [jobs],
    } = await db().execute<{ n: number }>(
      sql`select count(*)::int as n from pgboss.job where name = 'billing-plan' and (data->>'runId')::int = ${id}::int`,
    );
    expect(jobs.n).toBe(1);
  });

  it("a worker killed with SIGKILL mid-run: a new worker completes the run, equal row for row to a clean run, no duplicates", async () => {
    const houseId = await createHouse(me, "ул. Аварийная, 3");
    const apartments = await seedApartments(me.workspaceId, houseId, 3000);
    const crashEnv = {
      BILLING_CHUNK_SIZE: "50",
      BILLING_PART_SIZE: "1000",
      BILLING_CHUNK_PAUSE_MS: "100",
      WORKER_MAINTENANCE_SECONDS: "1",
      BILLING_JOB_EXPIRE_SECONDS: "2",
    };
    // January first (in this process): February's true-ups read the estimates January made.
    const january = await api<Run>("POST", `/api/houses/${houseId}/billing-runs`, { period: "2024-01" }, as(me));
    expect(january.status, JSON.stringify(january.body)).toBe(202);
    await billInline(january.body.id);
    expect((await getRun(january.body.id, me)).status).toBe("completed");
    const doomed = await startWorker(crashEnv);
    const run = await startHouseRun(houseId, me);
    expect(run.total).toBe(3000);

    await until(async () => (await getRun(run.id, me)).processed >= 600, "a fifth of the run to be billed", 30_000, tails([doomed]));
    doomed.child.kill("SIGKILL");
    expect(await doomed.exit).toEqual({ code: null, signal: "SIGKILL" });

    // Mid-run, and what was committed is whole: invoices, part cursors and run counters agree.
    const afterCrash = await runRow(run.id);
    expect(afterCrash.status).toBe("running");
    expect(afterCrash.processed).toBeGreaterThan(0);
    expect(afterCrash.processed).toBeLessThan(3000);
    expect(afterCrash.billed).toBe(afterCrash.processed);
    expect(afterCrash.parts_processed).toBe(afterCrash.processed);

    const rescuer = await startWorker({ ...crashEnv, BILLING_CHUNK_PAUSE_MS: "0" });
    const resumed = await waitForRun(run.id, me, [rescuer]);
    expect(resumed).toMatchObject({ processed: 3000, total: 3000, percent: 100 });
    expect(resumed.summary.invoices).toBe(3000);
    expect(await runRow(run.id)).toMatchObject({ processed: 3000, invoices: 3000, billed: 3000, parts_processed: 3000 });
    await expectOneInvoiceEach(apartments, run.id);
    const afterResume = await invoiceRows(houseId);

    // The same month again, by a worker that is never interrupted (default chunk and part sizes).
    rescuer.child.kill("SIGTERM");
    expect((await rescuer.exit).code).toBe(0);
    const clean = await startWorker();
    const again = await startHouseRun(houseId, me);
    expect(again.id).not.toBe(run.id);
    const cleanRun = await waitForRun(again.id, me, [clean]);
    const afterClean = await invoiceRows(houseId);

    expect(afterResume).toHaveLength(3000);
    expect(afterResume).toEqual(afterClean);
    expect(resumed.summary).toEqual(cleanRun.summary);
    // the data did exercise every rule the comparison covers
    expect(Object.keys(cleanRun.summary.flags).sort()).toEqual([
      "estimated_average",
      "estimated_normative",
      "negative_consumption",
      "no_previous_reading",
      "true_up",
      "verification_expired",
    ]);
    await expectOneInvoiceEach(apartments, again.id);
  }, 90_000);

  it("two workers share a portfolio run: both take parts, every apartment is billed exactly once", async () => {
    // Its own person and workspace, so that the portfolio is exactly these houses.
    const owner = await signIn("+79990000042");
    await createTariffs(owner);
    const apartments: number[] = [];
    for (let h = 1; h <= 4; h++) {
      const houseId = await createHouse(owner, `пр. Портфельный, ${h}`);
      apartments.push(...(await seedApartments(owner.workspaceId, houseId, 500)));
    }
    const env = { BILLING_PART_SIZE: "50", BILLING_CHUNK_SIZE: "25", BILLING_CHUNK_PAUSE_MS: "50", WORKER_CONCURRENCY: "2" };
    const workers = await Promise.all([startWorker(env), startWorker(env)]);

    const res = await api<Run>("POST", "/api/billing-runs", { period: PERIOD }, as(owner));
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    expect(res.body).toMatchObject({ house_id: null, status: "queued", total: 2000 });
    const done = await waitForRun(res.body.id, owner, workers);

    expect(done).toMatchObject({ processed: 2000, total: 2000, percent: 100 });
    expect(done.summary.invoices).toBe(2000);
    await expectOneInvoiceEach(apartments, done.id);
    const {
      rows: [parts],
    } = await db().execute<{ n: number; open: number; processed: number }>(sql`
      select count(*)::int as n, count(*) filter (where done = 0)::int as open, sum(processed)::int as processed
      from billing_run_part where run_id = ${done.id}::int`);
    expect(parts).toEqual({ n: 40, open: 0, processed: 2000 });

    // Per worker, from its log: apartments billed for this run.
    const billedBy = workers.map((w) =>
      w
        .logs()
        .filter((l) => l.msg === "billing part done" && l.runId === done.id)
        .reduce((sum, l) => sum + l.billed, 0),
    );
    expect(billedBy[0], tails(workers)()).toBeGreaterThan(0);
    expect(billedBy[1], tails(workers)()).toBeGreaterThan(0);
    expect(billedBy[0] + billedBy[1]).toBe(2000);
  }, 60_000);

  it("SIGTERM mid-run: the chunk in flight commits, the worker exits 0, a new worker completes the run", async () => {
    const houseId = await createHouse(me, "ул. Плавная, 5");
    const apartments = await seedApartments(me.workspaceId, houseId, 600);
    // Default job expiry (900 s): the next worker can only resume promptly if the stopping one
    // handed its job back.
    const leaving = await startWorker({ BILLING_CHUNK_SIZE: "20", BILLING_CHUNK_PAUSE_MS: "200" });
    const run = await startHouseRun(houseId, me);
    await until(async () => (await getRun(run.id, me)).processed >= 40, "two chunks to be billed", 30_000, tails([leaving]));

    // Hold the run row: the worker's next chunk writes its invoices and then waits on it, in flight.
    let before = -1;
    await db().transaction(async (tx) => {
      const {
        rows: [row],
      } = await tx.execute<{ processed: number }>(sql`select processed from billing_run where id = ${run.id}::int for update`);
      before = row.processed;
      await until(() => blocksAnother(tx), "the worker's chunk to wait on the run row", 20_000, tails([leaving]));
      leaving.child.kill("SIGTERM");
      await until(
        () => leaving.output().includes("worker stopping") || leaving.exited(),
        "the worker to take the signal",
        20_000,
        tails([leaving]),
      );
      expect(leaving.exited(), leaving.output()).toBe(false);
    });

    expect(await leaving.exit).toEqual({ code: 0, signal: null });
    expect(leaving.output()).toContain("worker stopped");
    const stopped = await runRow(run.id);
    // exactly the chunk that was in flight was added, and nothing after it
    expect(stopped.processed).toBe(before + 20);
    expect(stopped.status).toBe("running");
    expect(stopped.billed).toBe(stopped.processed);
    expect(stopped.parts_processed).toBe(stopped.processed);

    const next = await startWorker();
    const done = await waitForRun(run.id, me, [next], 20_000);
    expect(done).toMatchObject({ processed: 600, total: 600, percent: 100 });
    expect(done.summary.invoices).toBe(600);
    await expectOneInvoiceEach(apartments, run.id);
  }, 60_000);
  // A fault that is neither the data's (those fail the run at once) nor a crash (those resume):
  // PostgreSQL refusing the writes of one house, the way a lost privilege or a full disk would.
  async function refuseWrites(table: "invoice" | "billing_run_part", column: "house_id" | "run_id", id: number) {
    const name = `kv_test_refuse_${table}_${id}`;
    await db().execute(
      sql.raw(`create function ${name}() returns trigger language plpgsql as $$ begin raise exception 'refused by the test'; end $$`),
    );
    await db().execute(
      sql.raw(`create trigger ${name} before insert on ${table} for each row when (new.${column} = ${id}) execute function ${name}()`),
    );
    return async () => {
      await db().execute(sql.raw(`drop trigger ${name} on ${table}`));
      await db().execute(sql.raw(`drop function ${name}()`));
    };
  }

  async function waitForFailure(id: number, worker: WorkerProcess): Promise<Run> {
    let last: Run | undefined;
    await until(
      async () => {
        last = await getRun(id, me);
        return last.status !== "queued" && last.status !== "running";
      },
      `run ${id} to end`,
      30_000,
      () => `last seen: ${JSON.stringify(last)}\n${tails([worker])()}`,
    );
    return last!;
  }

  it("a part that fails on every try: after its retries the run is failed with why, and the month can be billed again", async () => {
    const houseId = await createHouse(me, "ул. Упрямая, 6");
    const apartments = await seedApartments(me.workspaceId, houseId, 30);
    const allow = await refuseWrites("invoice", "house_id", houseId);
    // 1 retry: 2 tries, 1–2 s apart; the sweep every second.
    const worker = await startWorker({ BILLING_JOB_RETRY_LIMIT: "1", WORKER_MAINTENANCE_SECONDS: "1" });
    const run = await startHouseRun(houseId, me);

    const failed = await waitForFailure(run.id, worker);
    const {
      rows: [job],
    } = await db().execute<{ id: string; state: string; retry_count: number }>(sql`
      select id::text, state::text, retry_count from pgboss.job where name = 'billing-part' and (data->>'runId')::int = ${run.id}::int`);
    // pg-boss gave the part up after exactly its retries…
    expect(job).toMatchObject({ state: "failed", retry_count: 1 });
    // …and the run says so, pointing at the log rather than quoting the database.
    expect(failed).toMatchObject({
      status: "failed",
      processed: 0,
      error: `the run stopped: billing a part of the run failed 2 times (last: an error, in the worker's log under job ${job.id}); start it again`,
    });
    expect(failed.finished_at).not.toBeNull();
    expect((await runRow(run.id)).billed).toBe(0);
    const tries = worker
      .logs()
      .filter((l) => l.msg === "job failed; pg-boss retries it up to its retry limit" && l.jobs?.[0]?.data?.runId === run.id);
    expect(tries).toHaveLength(2);
    expect(tries[1].err.cause.message).toBe("refused by the test");
    // The worker logs it after the commit that the API already shows.
    const logged = await until(
      () => worker.logs().find((l) => l.msg === "billing run failed: no job is left to finish it" && l.runId === run.id),
      "the sweep's log line",
    );
    expect(logged).toMatchObject({
      jobId: job.id,
      queue: "billing-part",
      attempts: 2,
      lastError: "refused by the test",
    });

    // No longer in progress: a new start is a new run, and with the fault gone it completes.
    await allow();
    const again = await startHouseRun(houseId, me);
    expect(again.id).not.toBe(run.id);
    await waitForRun(again.id, me, [worker]);
    await expectOneInvoiceEach(apartments, again.id);
  }, 60_000);

  it("a plan that fails on every try fails its run the same way", async () => {
    const houseId = await createHouse(me, "ул. Неплановая, 7");
    await seedApartments(me.workspaceId, houseId, 3);
    // A job keeps the retry limit its queue had when it was sent: a worker sets the queues to
    // one retry, then leaves before the run is started, so that it waits queued for the trigger.
    const setter = await startWorker({ BILLING_JOB_RETRY_LIMIT: "1" });
    setter.child.kill("SIGTERM");
    expect((await setter.exit).code).toBe(0);
    const run = await startHouseRun(houseId, me);
    const allow = await refuseWrites("billing_run_part", "run_id", run.id);
    try {
      const worker = await startWorker({ BILLING_JOB_RETRY_LIMIT: "1", WORKER_MAINTENANCE_SECONDS: "1" });
      const failed = await waitForFailure(run.id, worker);
      const {
        rows: [job],
      } = await db().execute<{ id: string }>(
        sql`select id::text from pgboss.job where name = 'billing-plan' and (data->>'runId')::int = ${run.id}::int`,
      );
      expect(failed).toMatchObject({
        status: "failed",
        processed: 0,
        error: `the run stopped: planning the run failed 2 times (last: an error, in the worker's log under job ${job.id}); start it again`,
      });
      expect((await db().execute(sql`select id from billing_run_part where run_id = ${run.id}::int`)).rows).toEqual([]);
    } finally {
      await allow();
    }
  }, 60_000);

  it("runs an earlier version left stuck are failed when a worker starts; a run with a job waiting is billed", async () => {
    const houses = await Promise.all(["ул. Забытая, 8", "ул. Истёкшая, 9", "ул. Ждущая, 10"].map((a) => createHouse(me, a)));
    for (const houseId of houses) await seedApartments(me.workspaceId, houseId, 3);
    // No worker: all three wait queued, each with its plan job.
    const [gone, expiredRun, waiting] = await Promise.all(houses.map((h) => startHouseRun(h, me)));
    const planJob = (runId: number) => sql`name = 'billing-plan' and (data->>'runId')::int = ${runId}::int`;
    // One job was lost (pg-boss removed it); one expired on its last try, as before the sweep existed.
    await db().execute(sql`delete from pgboss.job where ${planJob(gone.id)}`);
    await db().execute(sql`
      update pgboss.job set state = 'failed', completed_on = now(), output = '{"value":{"message":"job failed by timeout in active state"}}'::jsonb
      where ${planJob(expiredRun.id)}`);

    const worker = await startWorker();
    expect(await waitForFailure(gone.id, worker)).toMatchObject({
      status: "failed",
      error: "the run stopped: its background job is gone; start it again",
    });
    expect(await waitForFailure(expiredRun.id, worker)).toMatchObject({
      status: "failed",
      error: "the run stopped: planning the run failed once (last: the worker stopped answering); start it again",
    });
    expect(await waitForRun(waiting.id, me, [worker])).toMatchObject({ processed: 3, total: 3 });
  }, 60_000);
});
