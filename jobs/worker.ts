// The background worker: its own process (npm run worker), started next to the web app by
// `npm run dev` and `npm start`; run more of them (here or on other machines, one database)
// to bill faster. It starts pg-boss, works on the queues defined in lib/jobs/, stamps a row of
// worker_heartbeat every WORKER_HEARTBEAT_SECONDS (GET /api/health reads it) and runs the
// maintenance every WORKER_MAINTENANCE_SECONDS, renews the leases of the parts it bills and hands
// on those of dead workers every third of BILLING_LEASE_SECONDS (lib/billing/part-leases.ts).
// SIGTERM/SIGINT: the chunk in flight commits, then the worker exits and its unfinished parts
// are retried from their cursors. A database that goes away stops nothing: the loops try again,
// parts in progress wait for it (lib/jobs/billing-part.ts), and pg-boss reconnects by itself.
import { randomUUID } from "node:crypto";
import os from "node:os";
import { createDb, type Db } from "../db/connect";
import { describeConnectionError, isDatabaseUnreachable } from "../db/connection-errors";
import { renewPartLeases } from "../db/queries/billing";
import { beat, deleteHeartbeat, pruneHeartbeats } from "../db/queries/workers";
import { requeueLapsedParts } from "../lib/billing/part-leases";
import { env } from "../lib/env";
import { billingPartJob } from "../lib/jobs/billing-part";
import { billingPlanJob } from "../lib/jobs/billing-plan";
import { createBoss, ensureQueues, jobHandler, logBossError, type JobContext } from "../lib/jobs/boss";
import { paymentImportJob } from "../lib/jobs/payment-import";
import { readingImportJob } from "../lib/jobs/reading-import";
import { receiptBatchJob } from "../lib/jobs/receipt-batch";
import { JOB_QUEUES } from "../lib/jobs/queues";
import { logger as baseLogger } from "../lib/logger";
import { runMaintenance } from "../lib/ops/maintenance";

const logger = baseLogger.child({ service: "worker" });

/**
 * Logs a failure of something the worker tries again by itself (a heartbeat, a lease pass):
 * while the database is away, one short line naming the driver's code, not
 * a stack trace every few seconds.
 */
const warnFailed = (what: string) => (err: unknown) =>
  isDatabaseUnreachable(err)
    ? logger.warn({ database_unreachable: describeConnectionError(err) }, `${what}: the database cannot be reached`)
    : logger.warn({ err }, `${what} failed`);

/** Upserts this process's row now and every `seconds`; stop() ends the beats and deletes it. */
async function startHeartbeat(db: Db, workerId: string, seconds: number) {
  const row = { workerId, hostname: os.hostname(), pid: process.pid, startedAt: new Date() };
  await pruneHeartbeats(db);
  await beat(db, row);
  let inFlight: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = beat(db, row).catch(warnFailed("worker heartbeat"));
  }, seconds * 1000);
  return {
    stop: async () => {
      clearInterval(timer);
      // A beat still on its way would otherwise bring the row back after the delete.
      await inFlight;
      await deleteHeartbeat(db, row.workerId);
    },
  };
}

/**
 * Runs `pass` now, then again `intervalMs` after each one ended (a slow pass never queues up others
 * behind it); stop() ends the repeats and waits for the pass in flight.
 */
function repeat(pass: () => Promise<void>, intervalMs: number) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const next = async () => {
    await pass();
    if (!stopped) timer = setTimeout(() => (inFlight = next()), intervalMs);
  };
  let inFlight = next();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

/**
 * Every third of the lease: extends this worker's leases on the parts it bills, and hands on the
 * parts whose lease ran out (a dead worker's) to the queue, where a live worker takes them. A
 * failed pass (the database away) is tried again at the next.
 */
function startLeases(db: Db, context: JobContext) {
  return repeat(
    async () => {
      try {
        await renewPartLeases(db, context.workerId, [...context.leases], context.leaseSeconds);
        for (const part of await requeueLapsedParts(db)) logger.warn(part, "billing part handed on: its worker's lease ran out");
      } catch (err) {
        warnFailed("renewing billing part leases")(err);
      }
    },
    (context.leaseSeconds * 1000) / 3,
  );
}

/** Runs the maintenance at start (runs left by earlier versions), then every `seconds` (it never throws). */
const startMaintenance = (db: Db, seconds: number) => repeat(() => runMaintenance(db, logger), seconds * 1000);

async function main() {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (start the worker through `npm run dev` or `npm start`)");
  // pg-boss completes and fails jobs without awaiting it: with the database away that is a
  // rejection nobody handles, which would end the process. Only that is forgiven.
  process.on("unhandledRejection", (reason) => {
    if (isDatabaseUnreachable(reason))
      return logger.warn({ database_unreachable: describeConnectionError(reason) }, "database unreachable");
    logger.fatal({ err: reason }, "unhandled rejection");
    process.exit(1);
  });
  const boss = createBoss(url);
  boss.on("error", logBossError(logger));
  await boss.start();
  await ensureQueues(boss, JOB_QUEUES);
  const { WORKER_CONCURRENCY: concurrency, WORKER_HEARTBEAT_SECONDS: heartbeatSeconds } = env();
  const database = createDb(url, {
    max: concurrency + 3,
    onConnectionError: (err) => logger.warn({ database_unreachable: describeConnectionError(err) }, "database connection lost"),
  });
  const workerId = randomUUID();

  let stopping = false;
  const partWorkers: string[] = [];
  const context: JobContext = {
    db: database.db,
    workerId,
    leases: new Set(),
    leaseSeconds: env().BILLING_LEASE_SECONDS,
    stopping: () => stopping,
    log: logger,
    onPlanned: () => partWorkers.forEach((id) => boss.notifyWorker(id)),
    chunkPauseMs: env().BILLING_CHUNK_PAUSE_MS,
  };
  const polling = { pollingIntervalSeconds: 0.5, batchSize: 1 };
  await boss.work(billingPlanJob.name, polling, jobHandler(billingPlanJob, context));
  await boss.work(paymentImportJob.name, polling, jobHandler(paymentImportJob, context));
  await boss.work(readingImportJob.name, polling, jobHandler(readingImportJob, context));
  await boss.work(receiptBatchJob.name, polling, jobHandler(receiptBatchJob, context));
  // Part jobs this process works on at once: one pg-boss worker each.
  for (let i = 0; i < concurrency; i++)
    partWorkers.push(await boss.work(billingPartJob.name, polling, jobHandler(billingPartJob, context)));
  const heartbeat = await startHeartbeat(database.db, workerId, heartbeatSeconds);
  const maintenance = startMaintenance(database.db, env().WORKER_MAINTENANCE_SECONDS);
  const leases = startLeases(database.db, context);
  logger.info({ concurrency, workerId }, "worker ready");

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping: finishing the chunks in flight");
    await maintenance.stop();
    await boss.stop({ graceful: true, timeout: 30_000, wait: true });
    // Renewed until here: the parts in flight were billing until boss.stop returned.
    await leases.stop();
    // Beats go on while the chunks in flight finish: the worker is alive until here.
    await heartbeat.stop().catch((err) => logger.warn({ err }, "could not remove the worker heartbeat"));
    await database.close();
    logger.info("worker stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
}

main().catch((err) => {
  logger.fatal({ err }, "worker failed to start");
  process.exit(1);
});
