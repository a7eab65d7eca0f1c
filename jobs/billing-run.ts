import type PgBoss from "pg-boss";
import type { Db } from "../db/client";
import { billNextChunk } from "../lib/billing/bill-chunk";
import { planBillingRun } from "../lib/billing/plan-billing-run";
import { failRun } from "../lib/billing/runs";
import type { BillingFailedJob, BillingPartJob, BillingPlanJob } from "./boss";

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

export class StoppedForShutdown extends Error {
  constructor() {
    super("worker stopping: the part resumes from its cursor on the next attempt");
  }
}

/** pg-boss retries a job whose handler throws; say so in the log, or failures stay invisible. */
function logged<T>(options: BillingWorkOptions, queue: string, handler: (jobs: PgBoss.Job<T>[]) => Promise<void>) {
  return async (jobs: PgBoss.Job<T>[]) => {
    try {
      await handler(jobs);
    } catch (err) {
      options.log.warn({ err, queue, jobs: jobs.map((j) => ({ id: j.id, data: j.data })) }, "job failed; pg-boss will retry it");
      throw err;
    }
  };
}

export function billingPlanHandler(options: BillingWorkOptions) {
  return logged<BillingPlanJob>(options, "billing-plan", async (jobs) => {
    for (const job of jobs) {
      const result = await planBillingRun(options.db, job.data.runId);
      options.log.info({ runId: job.data.runId, result: result.kind, parts: result.kind === "planned" ? result.partIds.length : 0 }, "billing run planned");
      if (result.kind === "planned") options.onPlanned?.();
    }
  });
}

/**
 * PostgreSQL's data exceptions (class 22, e.g. an amount too large for its column) come from
 * the data, not from the moment: retrying cannot help, so they fail the run with a message.
 */
function dataError(error: unknown): string | null {
  for (let e = error as { code?: unknown; message?: string; cause?: unknown } | undefined, i = 0; e && i < 5; e = e.cause as typeof e, i++) {
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
        if (chunk.run) options.log.info({ runId, partId, billed: chunk.billed, processed: chunk.run.processed, total: chunk.run.total }, "billing chunk committed");
        if (chunk.done) break;
        if (options.chunkPauseMs) await new Promise((r) => setTimeout(r, options.chunkPauseMs));
      }
      options.log.info({ runId, partId, billed }, "billing part done");
    }
  });
}

/** What pg-boss's maintenance writes as the output of a job that outlived its expiry. */
const EXPIRED = "job failed by timeout in active state";

/** The last error pg-boss kept for a job: an Error it serialized, or its expiry notice. */
export type JobOutput = { message?: unknown; cause?: { message?: unknown }; value?: { message?: unknown } } | null | undefined;

/**
 * What the run says about its last error: the driver's own message when there is one (drizzle's
 * carries the whole query), its first line, cut short. Parameter values never get here: the
 * message is PostgreSQL's or ours, not the query's.
 */
export function lastErrorOf(output: JobOutput): string {
  const message = [output?.cause?.message, output?.message, output?.value?.message].find((m): m is string => typeof m === "string" && m.trim() !== "");
  if (!message) return "unknown error";
  if (message === EXPIRED) return "the worker billing it stopped answering (the job expired)";
  const line = message.trim().split("\n")[0];
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/**
 * A plan or part job that ran out of retries: its run is marked failed with why, so that it no
 * longer counts as in progress and the month can be billed again. The invoices the run's other
 * chunks committed stay (each chunk is whole); running the month again replaces them.
 */
export function billingFailedHandler(options: Pick<BillingWorkOptions, "db" | "log">) {
  return async (jobs: PgBoss.JobWithMetadata<BillingFailedJob>[]) => {
    for (const job of jobs) {
      const { runId } = job.data;
      const what = "partId" in job.data ? "billing a part of the run" : "planning the run";
      const reason = lastErrorOf(job.output as JobOutput);
      // The dead letter inherits the retry limit of the job that gave up: it had limit + 1 tries.
      const attempts = job.retryLimit + 1;
      await failRun(options.db, runId, `the run stopped: ${what} failed${attempts === 1 ? "" : ` ${attempts} times in a row`} (last error: ${reason}); start it again`);
      options.log.warn({ runId, partId: "partId" in job.data ? job.data.partId : undefined, attempts, reason }, "billing run failed: its job ran out of retries");
    }
  };
}
