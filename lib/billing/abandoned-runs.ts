import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { failRun } from "./runs";

/**
 * A run is alive while one of its pg-boss jobs is: the route enqueues the plan job in the run's
 * own transaction, the plan enqueues the part jobs in its, and the last chunk completes the run.
 * So a queued or running run with no job left to work on it (every try failed, expired or was
 * stopped, up to BILLING_JOB_RETRY_LIMIT) will never finish: it is marked failed, and its month
 * can be billed again. The invoices its chunks committed stay until the month is run again.
 *
 * Each run is examined with its row locked (runs being planned or billed right now hold it and
 * are skipped until the next sweep), and its jobs are looked at after the lock was taken, so a
 * job enqueued by a commit just before is seen.
 */

/** What pg-boss's maintenance writes as the output of a job that outlived its expiry. */
const EXPIRED = "job failed by timeout in active state";
/** What pg-boss's worker writes when a handler runs past the job's expiry. */
const TIMED_OUT = /^handler execution exceeded \d+ms$/;

/** The last error pg-boss kept for a job: an Error it serialized, or its expiry notice. */
export type JobOutput = { message?: unknown; cause?: { message?: unknown }; value?: { message?: unknown } } | null | undefined;

/**
 * The error of a job's last try, for the log: the driver's own message when there is one
 * (drizzle's repeats the whole query), its first line, cut short.
 */
export function lastErrorOf(output: JobOutput): string {
  const message = [output?.cause?.message, output?.message, output?.value?.message].find((m): m is string => typeof m === "string" && m.trim() !== "");
  if (!message) return "unknown error";
  const line = message.trim().split("\n")[0];
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

export function expired(output: JobOutput): boolean {
  const message = output?.value?.message ?? output?.message;
  return typeof message === "string" && (message === EXPIRED || TIMED_OUT.test(message));
}

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
export function abandonedRunError(job: { id: string; queue: string; attempts: number; output: JobOutput } | null): string {
  if (!job) return "the run stopped: its background job is gone; start it again";
  const what = job.queue === "billing-plan" ? "planning the run" : "billing a part of the run";
  const tries = job.attempts === 1 ? "once" : `${job.attempts} times`;
  const why = expired(job.output) ? "the worker stopped answering" : `an error, in the worker's log under job ${job.id}`;
  return `the run stopped: ${what} failed ${tries} (last: ${why}); start it again`;
}

export async function failAbandonedRuns(db: Db): Promise<AbandonedRun[]> {
  return db.transaction(async (tx) => {
    const candidates = await tx.execute<{ id: number }>(sql`
      select id from billing_run where status in ('queued', 'running') order by id for update skip locked`);
    if (candidates.length === 0) return [];
    const ids = `{${candidates.map((c) => c.id).join(",")}}`;
    // A statement of its own: its snapshot is taken after the locks, so it sees every job
    // committed before them.
    const abandoned = await tx.execute<{ run_id: number; job_id: string | null; queue: string | null; retry_count: number | null; output: JobOutput }>(sql`
      select r.id as run_id, last.id::text as job_id, last.name as queue, last.retry_count, last.output
      from unnest(${ids}::int[]) as r(id)
      left join lateral (
        select j.id, j.name, j.retry_count, j.output from pgboss.job j
        where j.name in ('billing-plan', 'billing-part') and (j.data->>'runId')::int = r.id and j.state = 'failed'
        order by j.completed_on desc nulls last limit 1
      ) last on true
      where not exists (
        select 1 from pgboss.job j
        where j.name in ('billing-plan', 'billing-part') and (j.data->>'runId')::int = r.id
          and j.state in ('created', 'retry', 'active'))
      order by r.id`);
    const failed: AbandonedRun[] = [];
    for (const row of abandoned) {
      const job = row.job_id ? { id: row.job_id, queue: row.queue!, attempts: row.retry_count! + 1, output: row.output } : null;
      const error = abandonedRunError(job);
      await failRun(tx, row.run_id, error);
      failed.push({
        runId: row.run_id,
        jobId: job?.id ?? null,
        queue: job?.queue ?? null,
        attempts: job?.attempts ?? null,
        lastError: job ? lastErrorOf(job.output) : null,
        error,
      });
    }
    return failed;
  });
}
