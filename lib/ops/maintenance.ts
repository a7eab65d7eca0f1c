import type { Db } from "../../db/client";
import { pruneLoginCodes, pruneRateLimits } from "../../db/queries/auth";
import { failAbandonedRuns } from "../billing/abandoned-runs";

interface MaintenanceLog {
  info: (o: object, m: string) => void;
  warn: (o: object, m: string) => void;
}

/**
 * One maintenance pass of a worker (at start, then every WORKER_MAINTENANCE_SECONDS): fails the
 * billing runs no job will finish any more, and drops rate-limit windows and sign-in codes that
 * can no longer count for anything. Each step is on its own: one failing does not stop the others,
 * and nothing here throws (a database away now is tried again at the next pass).
 */
export async function runMaintenance(db: Db, log: MaintenanceLog): Promise<void> {
  try {
    for (const run of await failAbandonedRuns(db)) log.warn(run, "billing run failed: no job is left to finish it");
  } catch (err) {
    log.warn({ err }, "sweep for abandoned billing runs failed");
  }
  try {
    const rateLimits = await pruneRateLimits(db);
    const codes = await pruneLoginCodes(db);
    if (rateLimits + codes > 0) log.info({ rateLimits, codes }, "pruned old rate-limit windows and expired sign-in codes");
  } catch (err) {
    log.warn({ err }, "pruning rate limits and sign-in codes failed");
  }
}
