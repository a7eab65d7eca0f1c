// The background worker: its own process (npm run worker), started next to the web app by
// `npm run dev` and `npm start`; run more of them (here or on other machines, one database)
// to bill faster. SIGTERM/SIGINT: the chunk in flight commits, then the worker exits and its
// unfinished parts are retried from their cursors. While it runs it stamps a row of
// worker_heartbeat every WORKER_HEARTBEAT_SECONDS, which GET /api/health reads.
import { randomUUID } from "node:crypto";
import os from "node:os";
import { eq, sql } from "drizzle-orm";
import { createDb, type Db } from "../db/client";
import { workerHeartbeat } from "../db/schema";
import { env } from "../lib/env";
import { failAbandonedRuns } from "../lib/billing/abandoned-runs";
import { logger as baseLogger } from "../lib/logger";
import { billingPartHandler, billingPlanHandler, type BillingWorkOptions } from "./billing-run";
import { createBoss, ensureQueues, QUEUES } from "./boss";

const logger = baseLogger.child({ service: "worker" });
/** Part jobs this process works on at once. */
/** Rows of workers that died without a graceful stop are removed by the next start after this. */
const HEARTBEAT_PRUNE_AFTER = "1 day";

/** Upserts this process's row now and every `seconds`; stop() ends the beats and deletes it. */
async function startHeartbeat(db: Db, seconds: number) {
  const workerId = randomUUID();
  const row = { workerId, hostname: os.hostname(), pid: process.pid, startedAt: new Date() };
  await db.delete(workerHeartbeat).where(sql`${workerHeartbeat.lastSeenAt} < now() - ${HEARTBEAT_PRUNE_AFTER}::interval`);
  const beat = () =>
    db
      .insert(workerHeartbeat)
      .values(row)
      .onConflictDoUpdate({ target: workerHeartbeat.workerId, set: { lastSeenAt: sql`now()` } });
  await beat();
  let inFlight: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    inFlight = beat().catch((err) => logger.warn({ err }, "worker heartbeat failed"));
  }, seconds * 1000);
  return {
    stop: async () => {
      clearInterval(timer);
      // A beat still on its way would otherwise bring the row back after the delete.
      await inFlight;
      await db.delete(workerHeartbeat).where(eq(workerHeartbeat.workerId, workerId));
    },
  };
}

/** Fails the runs no job will finish any more: at start (runs left by earlier versions), then every `seconds`. */
function startSweep(db: Db, seconds: number) {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const sweep = async () => {
    try {
      for (const run of await failAbandonedRuns(db)) logger.warn(run, "billing run failed: no job is left to finish it");
    } catch (err) {
      logger.warn({ err }, "sweep for abandoned billing runs failed");
    }
    // The next one after this one ended: a slow sweep never queues up others behind it.
    if (!stopped) timer = setTimeout(() => (inFlight = sweep()), seconds * 1000);
  };
  let inFlight = sweep();
  return {
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}

async function main() {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (start the worker through `npm run dev` or `npm start`)");
  const boss = createBoss(url);
  boss.on("error", (err) => logger.error({ err }, "pg-boss error"));
  await boss.start();
  await ensureQueues(boss);
  const { WORKER_CONCURRENCY: concurrency, WORKER_HEARTBEAT_SECONDS: heartbeatSeconds } = env();
  const database = createDb(url, { max: concurrency + 2 });

  let stopping = false;
  const partWorkers: string[] = [];
  const options: BillingWorkOptions = {
    db: database.db,
    stopping: () => stopping,
    log: logger,
    onPlanned: () => partWorkers.forEach((id) => boss.notifyWorker(id)),
    chunkPauseMs: env().BILLING_CHUNK_PAUSE_MS,
  };
  const polling = { pollingIntervalSeconds: 0.5, batchSize: 1 };
  await boss.work(QUEUES.billingPlan, polling, billingPlanHandler(options));
  for (let i = 0; i < concurrency; i++) partWorkers.push(await boss.work(QUEUES.billingPart, polling, billingPartHandler(options)));
  const heartbeat = await startHeartbeat(database.db, heartbeatSeconds);
  const sweep = startSweep(database.db, env().WORKER_MAINTENANCE_SECONDS);
  logger.info({ concurrency }, "worker ready");

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping: finishing the chunks in flight");
    await sweep.stop();
    await boss.stop({ graceful: true, timeout: 30_000, wait: true });
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
