// The background worker: its own process (npm run worker), started next to the web app by
// `npm run dev` and `npm start`; run more of them (here or on other machines, one database)
// to bill faster. SIGTERM/SIGINT: the chunk in flight commits, then the worker exits and its
// unfinished parts are retried from their cursors.
import { createDb } from "../db/client";
import { env } from "../lib/env";
import { logger as baseLogger } from "../lib/logger";
import { billingPartHandler, billingPlanHandler, type BillingWorkOptions } from "./billing-run";
import { createBoss, ensureQueues, QUEUES } from "./boss";

const logger = baseLogger.child({ service: "worker" });
/** Part jobs this process works on at once. */
const CONCURRENCY = Number(process.env.WORKER_CONCURRENCY ?? 2);

async function main() {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (start the worker through `npm run dev` or `npm start`)");
  const boss = createBoss(url);
  boss.on("error", (err) => logger.error({ err }, "pg-boss error"));
  await boss.start();
  await ensureQueues(boss);
  const database = createDb(url, { max: CONCURRENCY + 2 });

  let stopping = false;
  const partWorkers: string[] = [];
  const options: BillingWorkOptions = {
    db: database.db,
    stopping: () => stopping,
    log: logger,
    onPlanned: () => partWorkers.forEach((id) => boss.notifyWorker(id)),
    chunkPauseMs: Number(process.env.BILLING_CHUNK_PAUSE_MS ?? 0),
  };
  const polling = { pollingIntervalSeconds: 0.5, batchSize: 1 };
  await boss.work(QUEUES.billingPlan, polling, billingPlanHandler(options));
  for (let i = 0; i < CONCURRENCY; i++) partWorkers.push(await boss.work(QUEUES.billingPart, polling, billingPartHandler(options)));
  logger.info({ concurrency: CONCURRENCY }, "worker ready");

  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping: finishing the chunks in flight");
    await boss.stop({ graceful: true, timeout: 30_000, wait: true });
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
