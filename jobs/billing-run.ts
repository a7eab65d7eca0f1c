import type PgBoss from "pg-boss";
import type { Db } from "../db/client";
import { STOPPED_FOR_SHUTDOWN } from "../lib/billing/abandoned-runs";
import { billNextChunk } from "../lib/billing/bill-chunk";
import { planBillingRun } from "../lib/billing/plan-billing-run";
import { failRun } from "../lib/billing/runs";
import type { BillingPartJob, BillingPlanJob } from "./boss";

export interface BillingWorkOptions {
  db: Db;
  /** true once the worker was asked to stop: finish the chunk in flight, take no more */
  stopping: () => boolean;
  log: { info: (o: object, m: string) => void; warn: (o: object, m: string) => void };
  /** wake this process's part workers right after planning (no polling delay) */
  onPlanned?: () => void;
  chunkSize?: number;
  /** test hook: a pause after each chunk, so that a crash can be placed mid-run */
  chunkPauseMs?: number;
}

class StoppedForShutdown extends Error {
  constructor() {
    super(STOPPED_FOR_SHUTDOWN);
  }
}

/** pg-boss retries a job whose handler throws; say so in the log, or failures stay invisible. */
function logged<T>(options: BillingWorkOptions, queue: string, handler: (jobs: PgBoss.Job<T>[]) => Promise<void>) {
  return async (jobs: PgBoss.Job<T>[]) => {
    try {
      await handler(jobs);
    } catch (err) {
      options.log.warn(
        { err, queue, jobs: jobs.map((j) => ({ id: j.id, data: j.data })) },
        "job failed; pg-boss retries it up to its retry limit",
      );
      throw err;
    }
  };
}

export function billingPlanHandler(options: BillingWorkOptions) {
  return logged<BillingPlanJob>(options, "billing-plan", async (jobs) => {
    for (const job of jobs) {
      const result = await planBillingRun(options.db, job.data.runId);
      options.log.info(
        { runId: job.data.runId, result: result.kind, parts: result.kind === "planned" ? result.partIds.length : 0 },
        "billing run planned",
      );
      if (result.kind === "planned") options.onPlanned?.();
    }
  });
}

/**
 * PostgreSQL's data exceptions (class 22, e.g. an amount too large for its column) come from
 * the data, not from the moment: retrying cannot help, so they fail the run with a message.
 */
function dataError(error: unknown): string | null {
  for (
    let e = error as { code?: unknown; message?: string; cause?: unknown } | undefined, i = 0;
    e && i < 5;
    e = e.cause as typeof e, i++
  ) {
    if (typeof e.code === "string" && e.code.startsWith("22")) return e.message ?? e.code;
  }
  return null;
}

export function billingPartHandler(options: BillingWorkOptions) {
  return logged<BillingPartJob>(options, "billing-part", async (jobs) => {
    for (const job of jobs) {
      const { runId, partId } = job.data;
      let billed = 0;
      for (;;) {
        if (options.stopping()) throw new StoppedForShutdown();
        let chunk;
        try {
          chunk = await billNextChunk(options.db, partId, options.chunkSize);
        } catch (error) {
          const problem = dataError(error);
          if (!problem) throw error;
          await failRun(options.db, runId, `the data cannot be billed: ${problem}`);
          options.log.warn({ runId, partId, problem }, "billing run failed on its data");
          return;
        }
        billed += chunk.billed;
        if (chunk.run)
          options.log.info(
            { runId, partId, billed: chunk.billed, processed: chunk.run.processed, total: chunk.run.total },
            "billing chunk committed",
          );
        if (chunk.done) break;
        if (options.chunkPauseMs) await new Promise((r) => setTimeout(r, options.chunkPauseMs));
      }
      options.log.info({ runId, partId, billed }, "billing part done");
    }
  });
}
