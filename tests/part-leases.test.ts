import { sql } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { testPerson, type TestPerson } from "./helpers/auth";
import {
  createHouse,
  createTariffs,
  expectOneInvoiceEach,
  getRun,
  invoiceRows,
  runRow,
  seedApartments,
  startHouseRun,
  waitForRun,
} from "./helpers/billing-runs";
import { db } from "./helpers/db";
import { until } from "./helpers/wait";
import { killWorkers, startWorker, tails, type WorkerProcess } from "./helpers/worker";

// Part leases (lib/billing/part-leases.ts) with real worker processes: a dead worker's part is
// taken over by a live worker after its lease runs out (BILLING_LEASE_SECONDS, 10 s by default),
// not after its pg-boss job expires (set to 900 s here); a slow part
// whose worker is alive keeps its lease however long it takes. The take-over time is printed
// ([leases]); the only limit asserted is the tests' own generous deadline.

let me: TestPerson;
beforeAll(async () => {
  me = await testPerson();
  await createTariffs(me);
});

afterEach(killWorkers);

const workerId = (worker: WorkerProcess) => worker.logs().find((l) => l.msg === "worker ready")?.workerId as string;
const logsOf = (workers: WorkerProcess[], msg: string, runId: number) =>
  workers.flatMap((w) => w.logs().filter((l) => l.msg === msg && l.runId === runId));

describe("billing part leases", () => {
  it("a worker SIGKILLed mid-part: another live worker takes the part over and finishes it, as a clean run, nothing billed twice", async () => {
    const houseId = await createHouse(me, "ул. Подхвата, 1");
    const apartments = await seedApartments(me.workspaceId, houseId, 1500);
    const env = { BILLING_CHUNK_SIZE: "25", BILLING_JOB_EXPIRE_SECONDS: "900" };
    // 1 s between its chunks of 25: 60 s for the 1,500 apartments, so that it is still billing when
    // the live worker has started (seconds, on a machine running other test files meanwhile).
    const doomed = await startWorker({ ...env, BILLING_CHUNK_PAUSE_MS: "1000", WORKER_CONCURRENCY: "1" });
    const run = await startHouseRun(houseId, me);
    await until(async () => (await getRun(run.id, me)).processed >= 200, "the doomed worker to be billing", 30_000, tails([doomed]));
    // Alive and idle: the run's one part is the doomed worker's.
    const live = await startWorker(env);
    expect(logsOf([live], "billing chunk committed", run.id)).toEqual([]);

    doomed.child.kill("SIGKILL");
    const killedAt = Date.now();
    expect(await doomed.exit).toEqual({ code: null, signal: "SIGKILL" });
    const atKill = await runRow(run.id);
    expect(atKill.status).toBe("running");
    expect(atKill.processed).toBeLessThan(1500);

    // The job of the dead worker's part expires only after 900 s: a run finished within the
    // deadline was finished through the lease.
    const done = await waitForRun(run.id, me, [live], 60_000);
    // One of the live worker's lease passes found the lapsed lease and handed the part on with a new job.
    const [handedOn] = await until(
      () => logsOf([live], "billing part handed on: its worker's lease ran out", run.id),
      "the hand-on's log line",
    );
    expect(handedOn.leasedBy).toBe(workerId(doomed));
    const [firstChunk] = logsOf([live], "billing chunk committed", run.id);
    console.info(
      `[leases] SIGKILL → part handed on in ${handedOn.time - killedAt} ms, first chunk committed by the live worker in ${firstChunk.time - killedAt} ms (${atKill.processed} of 1500 billed before the kill)`,
    );

    expect(done).toMatchObject({ processed: 1500, total: 1500 });
    expect(await runRow(run.id)).toMatchObject({ processed: 1500, invoices: 1500, billed: 1500, parts_processed: 1500 });
    await expectOneInvoiceEach(apartments, run.id);
    const afterTakeOver = await invoiceRows(houseId);
    const again = await startHouseRun(houseId, me);
    const clean = await waitForRun(again.id, me, [live], 60_000);
    expect(afterTakeOver).toHaveLength(1500);
    expect(afterTakeOver).toEqual(await invoiceRows(houseId));
    expect(done.summary).toEqual(clean.summary);
  }, 120_000);

  it("a slow part of a live worker keeps its lease: paused longer than the lease between chunks, past its job's expiry, it is not taken over", async () => {
    const houseId = await createHouse(me, "ул. Неспешная, 2");
    const apartments = await seedApartments(me.workspaceId, houseId, 100);
    // A 1 s lease, renewed every third of a second; 2.5 s between chunks; pg-boss gives up on the
    // job after 3 s (and retries it) while its handler goes on billing.
    const env = { BILLING_LEASE_SECONDS: "1", BILLING_JOB_EXPIRE_SECONDS: "3", BILLING_CHUNK_SIZE: "20", WORKER_CONCURRENCY: "1" };
    const slow = await startWorker({ ...env, BILLING_CHUNK_PAUSE_MS: "2500" });
    const run = await startHouseRun(houseId, me);
    await until(async () => (await getRun(run.id, me)).processed > 0, "the slow worker to be billing", 30_000, tails([slow]));
    const other = await startWorker(env);

    const done = await waitForRun(run.id, me, [slow, other], 90_000);
    const workers = [slow, other];
    expect(done).toMatchObject({ processed: 100, total: 100 });
    expect(logsOf(workers, "billing part taken over: its worker's lease ran out", run.id), tails(workers)()).toEqual([]);
    expect(logsOf(workers, "billing part handed on: its worker's lease ran out", run.id)).toEqual([]);
    expect(logsOf(workers, "billing part given up: another worker took over its lease", run.id)).toEqual([]);
    // Every chunk was the slow worker's (its last log lines may follow the run's completion)…
    await until(() => logsOf([slow], "billing part done", run.id).length > 0, "the slow worker's last log line");
    expect(logsOf([slow], "billing chunk committed", run.id).map((l) => l.processed)).toEqual([20, 40, 60, 80, 100]);
    expect(logsOf([other], "billing chunk committed", run.id)).toEqual([]);
    // …though pg-boss gave up on its job (four pauses of 2.5 s outlast the 3 s expiry) and tried it again.
    const { rows: jobs } = await db().execute<{ retry_count: number }>(
      sql`select retry_count from pgboss.job where name = 'billing-part' and (data->>'runId')::int = ${run.id}::int`,
    );
    expect(jobs.length).toBe(1);
    expect(jobs[0].retry_count).toBeGreaterThan(0);
    await expectOneInvoiceEach(apartments, run.id);
  }, 120_000);
});
