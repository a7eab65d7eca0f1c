// The background worker: its own process (npm run worker), started next to the web app by
// `npm run dev` and `npm start`. It stops gracefully on SIGTERM/SIGINT.
import { env } from "../lib/env";
import { logger as baseLogger } from "../lib/logger";
import { createBoss, ensureQueues } from "./boss";

const logger = baseLogger.child({ service: "worker" });

async function main() {
  const url = env().DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set (start the worker through `npm run dev` or `npm start`)");
  const boss = createBoss(url);
  boss.on("error", (err) => logger.error({ err }, "pg-boss error"));
  await boss.start();
  await ensureQueues(boss);
  logger.info("worker ready");

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "worker stopping: finishing jobs in flight");
    await boss.stop({ graceful: true, timeout: 30_000, wait: true });
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
