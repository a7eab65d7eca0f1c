import type { Db } from "../../db/client";
import * as billing from "../../db/queries/billing";
import { tryAdvisoryXactLock } from "../../db/queries/locks";
import { jobError, jobMessage, PGBOSS_MESSAGES, runsWithoutLiveJobs, type JobOutput } from "../../db/queries/pgboss";
import { STOPPED_FOR_SHUTDOWN } from "../jobs/billing-part";
import { BILLING_PLAN, BILLING_QUEUES } from "../jobs/queues";

/**
 * A run is alive while its pg-boss jobs are: the route enqueues the plan job in the run's own
 * transaction, the plan enqueues a job per part in the transaction that writes the parts, a
 * part's job ends only once the part is done, and the last chunk completes the run. So a queued
 * or running run with no job left (every try failed, expired or was stopped, up to
 * BILLING_JOB_RETRY_LIMIT), or with an unfinished part none of whose jobs is left, will never
 * finish: it is marked failed, its other parts stop after their chunk in flight, and its month
 * can be billed again. The invoices its chunks committed stay until the month is run again.
 *
 * One worker sweeps at a time (an advisory lock). Each run is examined with its row locked (FOR
 * NO KEY UPDATE, as planning and chunks lock it: runs being planned or counting a chunk right
 * now are skipped until the next sweep, while invoices can still be written), and its jobs are
 * read by a later statement, so a job enqueued by a commit just before the lock is seen.
 */

/** Any fixed number: the advisory lock that lets one worker sweep at a time. */
export const SWEEP_LOCK = 7_042_025;

/**
 * The error of a job's last try, for the log: the driver's own message when there is one
 * (drizzle's repeats the whole query), its first line, cut short.
 */
export function lastErrorOf(output: JobOutput): string {
  const message = jobError(output);
  if (!message) return "unknown error";
  const line = message.trim().split("\n")[0];
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

type LastTry = "expired" | "too_long" | "stopped" | "error";

/** Why a job's last try ended: the kinds we know, else an error (whose text is in the log). */
function lastTryOf(job: { output: JobOutput }): LastTry {
  const message = jobMessage(job.output) ?? "";
  if (message === PGBOSS_MESSAGES.expired) return "expired";
  if (PGBOSS_MESSAGES.tooLong.test(message)) return "too_long";
  if (message === PGBOSS_MESSAGES.stopped || message === STOPPED_FOR_SHUTDOWN) return "stopped";
  return "error";
}

const LAST_TRY_TEXT: Record<Exclude<LastTry, "error">, string> = {
  expired: "the worker stopped answering",
  too_long: "it took longer than BILLING_JOB_EXPIRE_SECONDS",
  stopped: "the worker was stopped",
};

export interface AbandonedRun {
  runId: number;
  /** the job whose tries ran out last, when pg-boss still keeps it */
  jobId: string | null;
  queue: string | null;
  attempts: number | null;
  lastError: string | null;
  /** what the run's error now says */
  error: string;
}

/**
 * The message the manager sees. It names what gave up and how often, not the error itself:
 * that can carry server addresses and file paths, and is in the worker's log under the job id.
 */
export function abandonedRunError(job: AbandonedJob | null): string {
  return abandonedRunFailure(job).message;
}

type AbandonedJob = { id: string; queue: string; attempts: number; output: JobOutput };

/** The run's failure: job_gone, or job_failed with the stage, the tries and how the last one ended. */
function abandonedRunFailure(job: AbandonedJob | null): billing.RunFailure {
  if (!job) return { reason: "job_gone", message: "the run stopped: its background job is gone; start it again" };
  const stage = job.queue === BILLING_PLAN ? "planning" : "part";
  const what = stage === "planning" ? "planning the run" : "billing a part of the run";
  const tries = job.attempts === 1 ? "once" : `${job.attempts} times`;
  const last = lastTryOf(job);
  const text = last === "error" ? `an error, in the worker's log under job ${job.id}` : LAST_TRY_TEXT[last];
  return {
    reason: "job_failed",
    params: { stage, attempts: job.attempts, last, job_id: job.id },
    message: `the run stopped: ${what} failed ${tries} (last: ${text}); start it again`,
  };
}

export async function failAbandonedRuns(db: Db): Promise<AbandonedRun[]> {
  return db.transaction(async (tx) => {
    if (!(await tryAdvisoryXactLock(tx, SWEEP_LOCK))) return [];
    const candidates = await billing.lockActiveRuns(tx);
    if (candidates.length === 0) return [];
    const failed: AbandonedRun[] = [];
    for (const row of await runsWithoutLiveJobs(tx, candidates, BILLING_QUEUES)) {
      const job = row.job_id ? { id: row.job_id, queue: row.queue!, attempts: row.retry_count! + 1, output: row.output } : null;
      const failure = abandonedRunFailure(job);
      await billing.failRun(tx, row.run_id, failure);
      failed.push({
        runId: row.run_id,
        jobId: job?.id ?? null,
        queue: job?.queue ?? null,
        attempts: job?.attempts ?? null,
        lastError: job ? lastErrorOf(job.output) : null,
        error: failure.message,
      });
    }
    return failed;
  });
}
