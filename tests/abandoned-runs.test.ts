import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../db/client";
import { failAbandonedRuns, SWEEP_LOCK } from "../lib/billing/abandoned-runs";
import { billNextChunk } from "../lib/billing/bill-chunk";
import { planBillingRun } from "../lib/billing/plan-billing-run";
import { api } from "./helpers/api";
import { blocksAnother, db } from "./helpers/db";
import { createApartment, createHouse } from "./helpers/fixtures";
import { until } from "./helpers/wait";

// The sweep that fails runs no job will finish (lib/billing/abandoned-runs.ts), on its own: the
// runs' pg-boss jobs are put by hand in each state pg-boss can leave them in. (The worker running
// it against real failures and expiries: tests/billing-worker.test.ts.)

const EXPIRED = { value: { message: "job failed by timeout in active state" } };

/** A house of one apartment with its price, and a run of it queued with its plan job. */
async function queuedRun(): Promise<number> {
  const house = await createHouse();
  expect(
    (await api("POST", "/api/tariffs", { service: "maintenance", price: "10", valid_from: "2024-01", house_id: house.id })).status,
  ).toBe(201);
  await createApartment(house.id, { area: "40.00" });
  const res = await api("POST", `/api/houses/${house.id}/billing-runs`, { period: "2024-02" });
  expect(res.status).toBe(202);
  return res.body.id;
}

async function setJob(
  runId: number,
  queue: "billing-plan" | "billing-part",
  state: string,
  extra: { output?: object; retryCount?: number } = {},
) {
  const done = ["completed", "cancelled", "failed"].includes(state);
  const { rows } = await db().execute(sql`
    update pgboss.job set state = ${state}::pgboss.job_state, retry_count = ${extra.retryCount ?? 0},
           completed_on = ${done ? sql`now()` : sql`null`}, output = ${extra.output ? JSON.stringify(extra.output) : null}::jsonb
    where name = ${queue} and (data->>'runId')::int = ${runId}::int
    returning id`);
  expect(rows).toHaveLength(1);
}

const jobId = async (runId: number, queue: string) =>
  (await db().execute<{ id: string }>(sql`select id::text from pgboss.job where name = ${queue} and (data->>'runId')::int = ${runId}::int`))
    .rows[0].id;

async function runOf(id: number) {
  const {
    rows: [row],
  } = await db().execute<{ status: string; error: string | null }>(sql`select status::text, error from billing_run where id = ${id}`);
  return row;
}

const swept = async () => (await failAbandonedRuns(getDb())).map((r) => r.runId);

/** Holds `lock` in a transaction of its own until release() is called. */
async function holding(lock: ReturnType<typeof sql>) {
  let release!: () => void;
  let held!: () => void;
  const isHeld = new Promise<void>((resolve) => (held = resolve));
  const done = db().transaction(async (tx) => {
    await tx.execute(lock);
    held();
    await new Promise<void>((resolve) => (release = resolve));
  });
  await isHeld;
  return async () => {
    release();
    await done;
  };
}

describe("the sweep for runs no job will finish", () => {
  it("leaves alone a run whose job waits, waits to retry, or runs", async () => {
    const runs = [await queuedRun(), await queuedRun(), await queuedRun()];
    await setJob(runs[1], "billing-plan", "retry", { retryCount: 3, output: EXPIRED });
    await setJob(runs[2], "billing-plan", "active");
    const failed = await swept();
    for (const id of runs) {
      expect(failed).not.toContain(id);
      expect(await runOf(id)).toEqual({ status: "queued", error: null });
    }
  });

  it("fails a run whose last job failed, was cancelled or is gone, saying why", async () => {
    const [expired, cancelled, gone, broken] = [await queuedRun(), await queuedRun(), await queuedRun(), await queuedRun()];
    await setJob(expired, "billing-plan", "failed", { retryCount: 10, output: EXPIRED });
    await setJob(cancelled, "billing-plan", "cancelled");
    await db().execute(sql`delete from pgboss.job where name = 'billing-plan' and (data->>'runId')::int = ${gone}::int`);
    await setJob(broken, "billing-plan", "failed", {
      retryCount: 0,
      output: { message: "Failed query: insert …\nparams: 1,2", cause: { message: "permission denied for table billing_run_part" } },
    });

    const report = await failAbandonedRuns(getDb());

    expect(await runOf(expired)).toEqual({
      status: "failed",
      error: "the run stopped: planning the run failed 11 times (last: the worker stopped answering); start it again",
    });
    expect(await runOf(cancelled)).toEqual({ status: "failed", error: "the run stopped: its background job is gone; start it again" });
    expect(await runOf(gone)).toEqual({ status: "failed", error: "the run stopped: its background job is gone; start it again" });
    const brokenJob = await jobId(broken, "billing-plan");
    expect(await runOf(broken)).toEqual({
      status: "failed",
      error: `the run stopped: planning the run failed once (last: an error, in the worker's log under job ${brokenJob}); start it again`,
    });
    // What the worker logs: the job and its error's first line, without the query's values.
    expect(report.find((r) => r.runId === broken)).toEqual({
      runId: broken,
      jobId: brokenJob,
      queue: "billing-plan",
      attempts: 1,
      lastError: "permission denied for table billing_run_part",
      error: expect.stringContaining(brokenJob),
    });
    // A failed run is no longer in progress: the month can be started again.
    expect(await swept()).not.toContain(broken);
  });

  it("fails a running run when one unfinished part has no job left, though another of its jobs is alive", async () => {
    const [stuck, healthy] = [await queuedRun(), await queuedRun()];
    for (const id of [stuck, healthy]) expect((await planBillingRun(getDb(), id)).kind).toBe("planned");
    // The plan job still active (its handler has not returned yet), the part's job given up…
    await setJob(stuck, "billing-plan", "active");
    await setJob(stuck, "billing-part", "failed", { retryCount: 10, output: { message: "handler execution exceeded 60000ms" } });
    // …while the other run's part waits for a worker.
    await setJob(healthy, "billing-plan", "completed");

    const failed = await swept();

    expect(failed).toContain(stuck);
    expect(await runOf(stuck)).toEqual({
      status: "failed",
      error:
        "the run stopped: billing a part of the run failed 11 times (last: it took longer than BILLING_JOB_EXPIRE_SECONDS); start it again",
    });
    expect(failed).not.toContain(healthy);
    expect((await runOf(healthy)).status).toBe("running");
  });

  it("skips a run locked by planning or billing until the lock is gone, and sweeps once at a time", async () => {
    const id = await queuedRun();
    await setJob(id, "billing-plan", "failed", { output: { value: "pg-boss shut down while active" } });

    // A plan or chunk in flight holds the run's row: the sweep passes it by.
    const unlockRun = await holding(sql`select 1 from billing_run where id = ${id} for no key update`);
    expect(await swept()).not.toContain(id);
    expect((await runOf(id)).status).toBe("queued");
    await unlockRun();

    // Another worker sweeping right now: this one does nothing.
    const unlockSweep = await holding(sql`select pg_advisory_xact_lock(${SWEEP_LOCK})`);
    expect(await swept()).toEqual([]);
    await unlockSweep();

    expect(await swept()).toContain(id);
    expect(await runOf(id)).toEqual({
      status: "failed",
      error: "the run stopped: planning the run failed once (last: the worker was stopped); start it again",
    });
  });

  it("a chunk under way when its run is failed adds nothing to it", async () => {
    const id = await queuedRun();
    expect((await planBillingRun(getDb(), id, { enqueue: false })).kind).toBe("planned");
    const {
      rows: [{ id: partId }],
    } = await db().execute<{ id: number }>(sql`select id from billing_run_part where run_id = ${id}`);

    // The run's row is held; the chunk reads its part, writes its invoices, then waits for the row…
    const { chunk } = await db().transaction(async (tx) => {
      await tx.execute(sql`select 1 from billing_run where id = ${id} for no key update`);
      const inFlight = billNextChunk(getDb(), partId);
      await until(() => blocksAnother(tx), "the chunk to wait on the run row");
      // …and meanwhile the run is failed (as the sweep does), committed with the lock's release.
      await tx.execute(sql`update billing_run set status = 'failed', error = 'stopped by the test', finished_at = now() where id = ${id}`);
      return { chunk: inFlight }; // not awaited in here: it waits for this transaction to end
    });
    const result = await chunk;

    expect(result).toEqual({ done: true, billed: 0 });
    const {
      rows: [row],
    } = await db().execute<{ processed: number; invoices: number; written: number }>(sql`
      select r.processed, r.invoices, (select count(*)::int from invoice i where i.run_id = r.id) as written from billing_run r where r.id = ${id}`);
    expect(row).toEqual({ processed: 0, invoices: 0, written: 0 });
    expect(await runOf(id)).toEqual({ status: "failed", error: "stopped by the test" });
  });
});
