import { eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { workerHeartbeat } from "../schema";

// The workers' heartbeats (one row per running worker process) and what /api/health reads of
// the installation's state.

/** Rows of workers that died without a graceful stop are removed by the next start after this. */
const HEARTBEAT_PRUNE_AFTER = "1 day";

export interface HeartbeatRow {
  workerId: string;
  hostname: string;
  pid: number;
  startedAt: Date;
}

/** Stamps the worker's row with the database's clock (creating it on the first beat). */
export async function beat(db: DbOrTx, row: HeartbeatRow): Promise<void> {
  await db
    .insert(workerHeartbeat)
    .values(row)
    .onConflictDoUpdate({ target: workerHeartbeat.workerId, set: { lastSeenAt: sql`now()` } });
}

export async function deleteHeartbeat(db: DbOrTx, workerId: string): Promise<void> {
  await db.delete(workerHeartbeat).where(eq(workerHeartbeat.workerId, workerId));
}

export async function pruneHeartbeats(db: DbOrTx): Promise<void> {
  await db.delete(workerHeartbeat).where(sql`${workerHeartbeat.lastSeenAt} < now() - ${HEARTBEAT_PRUNE_AFTER}::interval`);
}

export type NewestHeartbeat = {
  last_seen_at: string | null;
  age_seconds: number | null;
};

/** The newest heartbeat and its age, both on the database's clock (which also stamped it). */
export async function newestHeartbeat(db: DbOrTx): Promise<NewestHeartbeat> {
  const {
    rows: [row],
  } = await db.execute<NewestHeartbeat>(sql`
    select to_char(max(${workerHeartbeat.lastSeenAt}) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_seen_at,
           floor(extract(epoch from now() - max(${workerHeartbeat.lastSeenAt})))::int as age_seconds
    from ${workerHeartbeat}`);
  return row;
}

/** The journal timestamps of the migrations drizzle has applied (its own table; none before the first). */
export async function appliedMigrations(db: DbOrTx): Promise<number[]> {
  const {
    rows: [table],
  } = await db.execute<{ name: string | null }>(sql`select to_regclass('drizzle.__drizzle_migrations')::text as name`);
  if (!table.name) return [];
  const { rows } = await db.execute<{ created_at: string }>(sql`select created_at::text from drizzle.__drizzle_migrations`);
  return rows.map((row) => Number(row.created_at));
}

/** Cancels any statement of the transaction that runs longer than this. */
export async function setStatementTimeout(db: DbOrTx, ms: number): Promise<void> {
  await db.execute(sql`select set_config('statement_timeout', ${String(ms)}, true)`);
}

/** A round trip to the database. */
export async function ping(db: DbOrTx): Promise<void> {
  await db.execute(sql`select 1`);
}
