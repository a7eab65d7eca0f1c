import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { unfinishedParts } from "./billing";

// pg-boss's own tables and messages, read here and nowhere else. They are pg-boss 10.4's
// (schema "pgboss", table job: name, state, data, retry_count, output, completed_on); the
// version is pinned in package.json and tests/pgboss-internals.test.ts fails when it changes,
// with real jobs driven into each state this module reads.

export const PGBOSS_SCHEMA = "pgboss";
/** The pg-boss version this module was written against. */
export const PGBOSS_VERSION = "10.4.2";

/** The states in which a job will still run (or run again). */
const LIVE_STATES = ["created", "retry", "active"] as const;

/** What pg-boss writes into a job's output when it gives up on a try. */
export const PGBOSS_MESSAGES = {
  /** maintenance: the job outlived its expiry (its worker died or hung) */
  expired: "job failed by timeout in active state",
  /** the worker: a handler ran past the job's expiry */
  tooLong: /^handler execution exceeded \d+ms$/,
  /** the worker stopped (boss.stop) while the job was active */
  stopped: "pg-boss shut down while active",
} as const;

/** The last error pg-boss kept for a job: an Error it serialized, or its own notice. */
export type JobOutput = { message?: unknown; cause?: { message?: unknown }; value?: unknown } | null | undefined;

const nonEmpty = (m: unknown): m is string => typeof m === "string" && m.trim() !== "";

/** The message pg-boss kept for a job's last try: its own notice (`value`) or the Error's. */
export function jobMessage(output: JobOutput): string | undefined {
  const value = output?.value as string | { message?: unknown } | undefined;
  return [typeof value === "string" ? value : value?.message, output?.message].find(nonEmpty);
}

/** The error of a job's last try as its handler threw it: the driver's own message when there is one. */
export function jobError(output: JobOutput): string | undefined {
  return [output?.cause?.message, jobMessage(output)].find(nonEmpty);
}

/** Jobs of these queues waiting (created or due for a retry) and being worked on. */
export async function queueDepth(db: DbOrTx, queues: string[]): Promise<{ queued: number; active: number }> {
  const {
    rows: [row],
  } = await db.execute<{ queued: number; active: number }>(sql`
    select count(*) filter (where state in ('created', 'retry'))::int as queued,
           count(*) filter (where state = 'active')::int as active
    from ${sql.identifier(PGBOSS_SCHEMA)}.job
    where name in ${queues} and state in ${LIVE_STATES}`);
  return row;
}

export type StuckRun = {
  run_id: number;
  /** the run's job whose tries ran out last, while pg-boss still keeps it */
  job_id: string | null;
  queue: string | null;
  retry_count: number | null;
  output: JobOutput;
};

/**
 * Of these runs, the ones no job will finish: no live job of the run (`runId` in its data), or
 * an unfinished part with no live job (`partId`), unless a part of it is leased (billed, or about
 * to be handed on: lib/billing/part-leases.ts); each with its last failed job. A statement of
 * its own, so that its snapshot sees every job committed before the caller locked the runs.
 */
export async function runsWithoutLiveJobs(db: DbOrTx, runIds: number[], queues: string[]): Promise<StuckRun[]> {
  const ids = sql`${`{${runIds.join(",")}}`}::int[]`;
  const { rows } = await db.execute<StuckRun>(sql`
    with jobs as (
      select (j.data->>'runId')::int as run_id, (j.data->>'partId')::int as part_id, j.id, j.name, j.retry_count, j.output,
             j.completed_on, j.state in ${LIVE_STATES} as live, j.state = 'failed' as failed
      from ${sql.identifier(PGBOSS_SCHEMA)}.job j
      where j.name in ${queues} and (j.data->>'runId')::int = any(${ids})
    ),
    parts as (${unfinishedParts(ids)}),
    stuck as (
      -- a leased part is being billed, whatever became of its job (pg-boss may have given up on a
      -- slow handler that is still at work), or its lapsed lease is about to be handed on
      select r.id as run_id from unnest(${ids}) as r(id)
      where not exists (select 1 from jobs j where j.run_id = r.id and j.live)
        and not exists (select 1 from parts p where p.run_id = r.id and p.leased)
      union
      select p.run_id from parts p
      where not p.leased and not exists (select 1 from jobs j where j.part_id = p.id and j.live)
    )
    select s.run_id, last.id::text as job_id, last.name as queue, last.retry_count, last.output
    from stuck s
    left join lateral (
      select j.id, j.name, j.retry_count, j.output from jobs j
      where j.run_id = s.run_id and j.failed order by j.completed_on desc nulls last limit 1
    ) last on true
    order by s.run_id`);
  return [...rows];
}
