import { sql } from "drizzle-orm";
import type { Db } from "../../db/client";
import { failRun } from "./runs";

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

/** The output pg-boss writes for a job that outlived its expiry (maintenance). */
const EXPIRED = "job failed by timeout in active state";
/** … for a handler that ran past the job's expiry (the worker). */
const TOO_LONG = /^handler execution exceeded \d+ms$/;
/** What a part job fails with when its worker stops gracefully (jobs/billing-run.ts). */
export const STOPPED_FOR_SHUTDOWN = "worker stopping: the part resumes from its cursor on the next attempt";
/** … for a job still active when its worker's pg-boss stopped; and our own graceful stop. */
const STOPPED = ["pg-boss shut down while active", STOPPED_FOR_SHUTDOWN];

/** The last error pg-boss kept for a job: an Error it serialized, or its expiry notice. */
export type JobOutput = { message?: unknown; cause?: { message?: unknown }; value?: unknown } | null | undefined;

const nonEmpty = (m: unknown): m is string => typeof m === "string" && m.trim() !== "";

/** The message pg-boss kept for a job's last try: its own notice (`value`) or the Error's. */
function messageOf(output: JobOutput): string | undefined {
  const value = output?.value as string | { message?: unknown } | undefined;
  return [typeof value === "string" ? value : value?.message, output?.message].find(nonEmpty);
}

/**
 * The error of a job's last try, for the log: the driver's own message when there is one
 * (drizzle's repeats the whole query), its first line, cut short.
 */
export function lastErrorOf(output: JobOutput): string {
  const message = [output?.cause?.message, messageOf(output)].find(nonEmpty);
  if (!message) return "unknown error";
  const line = message.trim().split("\n")[0];
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/** Why the last try ended, for the manager: the kinds we know, else a pointer to the log. */
function reasonOf(job: { id: string; output: JobOutput }): string {
  const message = messageOf(job.output) ?? "";
  if (message === EXPIRED) return "the worker stopped answering";
  if (TOO_LONG.test(message)) return "it took longer than BILLING_JOB_EXPIRE_SECONDS";
  if (STOPPED.includes(message)) return "the worker was stopped";
  return `an error, in the worker's log under job ${job.id}`;
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
  return `the run stopped: ${what} failed ${tries} (last: ${reasonOf(job)}); start it again`;
}

/** Any fixed number: the advisory lock that lets one worker sweep at a time. */
export const SWEEP_LOCK = 7_042_025;

export async function failAbandonedRuns(db: Db): Promise<AbandonedRun[]> {
  return db.transaction(async (tx) => {
    const [{ mine }] = await tx.execute<{ mine: boolean }>(sql`select pg_try_advisory_xact_lock(${SWEEP_LOCK}) as mine`);
    if (!mine) return [];
    const candidates = await tx.execute<{ id: number }>(sql`
      select id from billing_run where status in ('queued', 'running') order by id for no key update skip locked`);
    if (candidates.length === 0) return [];
    const ids = `{${candidates.map((c) => c.id).join(",")}}`;
    // A statement of its own: its snapshot is taken after the locks, so it sees every job
    // committed before them.
    const abandoned = await tx.execute<{
      run_id: number;
      job_id: string | null;
      queue: string | null;
      retry_count: number | null;
      output: JobOutput;
    }>(sql`
      with jobs as (
        select (j.data->>'runId')::int as run_id, (j.data->>'partId')::int as part_id, j.id, j.name, j.retry_count, j.output,
               j.completed_on, j.state in ('created', 'retry', 'active') as live, j.state = 'failed' as failed
        from pgboss.job j
        where j.name in ('billing-plan', 'billing-part') and (j.data->>'runId')::int = any(${ids}::int[])
      ),
      stuck as (
        select r.id as run_id from unnest(${ids}::int[]) as r(id)
        where not exists (select 1 from jobs j where j.run_id = r.id and j.live)
        union
        select p.run_id from billing_run_part p
        where p.run_id = any(${ids}::int[]) and p.done = 0
          and not exists (select 1 from jobs j where j.part_id = p.id and j.live)
      )
      select s.run_id, last.id::text as job_id, last.name as queue, last.retry_count, last.output
      from stuck s
      left join lateral (
        select j.id, j.name, j.retry_count, j.output from jobs j
        where j.run_id = s.run_id and j.failed order by j.completed_on desc nulls last limit 1
      ) last on true
      order by s.run_id`);
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
