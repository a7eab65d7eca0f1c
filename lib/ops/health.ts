import { sql } from "drizzle-orm";
import { z } from "zod";
import type { Db, Tx } from "../../db/client";
import journal from "../../drizzle/meta/_journal.json";
import { QUEUES } from "../../jobs/boss";
import { logger } from "../logger";

export interface HealthOptions {
  /** A worker whose newest heartbeat is older than this is reported as down. */
  heartbeatMaxAgeSeconds: number;
  /** Per check, connecting included: the answer never waits longer than about twice this. */
  timeoutMs?: number;
}

interface Failure {
  ok: false;
  /** short and generic: the detail goes to the log only */
  reason: string;
}

export interface HealthReport {
  /** "down": the database is unreachable; "degraded": it is reachable but another check failed */
  status: "ok" | "degraded" | "down";
  checks: {
    database: { ok: boolean; latency_ms: number | null; reason?: string };
    migrations: { ok: boolean; applied: number | null; expected: number; reason?: string };
    worker: { ok: boolean; last_heartbeat_at: string | null; age_seconds: number | null; reason?: string };
    queue: { ok: boolean; queued: number | null; active: number | null; reason?: string };
  };
}

const DEFAULT_TIMEOUT_MS = 2000;
const BILLING_QUEUES: string[] = Object.values(QUEUES);
// drizzle's migrator records each migration with its journal `when` as created_at (and applies
// only those newer than the last one): the same identity, without reading the SQL files.
const EXPECTED_MIGRATIONS = journal.entries.map((entry) => entry.when);

/** WORKER_HEARTBEAT_MAX_AGE_SECONDS (default 60). */
export function healthOptionsFromEnv(): HealthOptions {
  const maxAge = z.coerce
    .number()
    .positive()
    .default(60)
    .parse(process.env.WORKER_HEARTBEAT_MAX_AGE_SECONDS || undefined);
  return { heartbeatMaxAgeSeconds: maxAge };
}

/**
 * Database reachable, migrations current, a worker alive, queue depth. Never throws and never
 * waits on a dead database past the timeout; failed checks say ok=false with a generic reason.
 */
export async function checkHealth(db: Db, options: HealthOptions): Promise<HealthReport> {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const expected = EXPECTED_MIGRATIONS.length;

  const started = performance.now();
  const ping = await attempt("database", () => bounded(db, timeoutMs, (tx) => tx.execute(sql`select 1`)));
  if (!ping.ok) {
    const unreachable = { ok: false, reason: "database unreachable" } as const;
    return {
      status: "down",
      checks: {
        database: { ...unreachable, latency_ms: null },
        migrations: { ...unreachable, applied: null, expected },
        worker: { ...unreachable, last_heartbeat_at: null, age_seconds: null },
        queue: { ...unreachable, queued: null, active: null },
      },
    };
  }
  const database = { ok: true, latency_ms: Math.round(performance.now() - started) };

  const [migrations, worker, queue] = await Promise.all([
    attempt("migrations", () => bounded(db, timeoutMs, appliedMigrations)),
    attempt("worker", () => bounded(db, timeoutMs, newestHeartbeat)),
    attempt("queue", () => bounded(db, timeoutMs, queueDepth)),
  ]);

  const checks: HealthReport["checks"] = {
    database,
    migrations: migrations.ok ? migrationsCheck(migrations.value, expected) : { ...unavailable("migrations"), applied: null, expected },
    worker: worker.ok
      ? workerCheck(worker.value, options.heartbeatMaxAgeSeconds)
      : { ...unavailable("worker"), last_heartbeat_at: null, age_seconds: null },
    queue: queue.ok ? { ok: true, ...queue.value } : { ...unavailable("queue"), queued: null, active: null },
  };
  const allOk = Object.values(checks).every((check) => check.ok);
  return { status: allOk ? "ok" : "degraded", checks };
}

async function appliedMigrations(tx: Tx): Promise<number[]> {
  const [table] = await tx.execute<{ name: string | null }>(sql`select to_regclass('drizzle.__drizzle_migrations')::text as name`);
  if (!table.name) return [];
  const rows = await tx.execute<{ created_at: string }>(sql`select created_at::text from drizzle.__drizzle_migrations`);
  return rows.map((row) => Number(row.created_at));
}

function migrationsCheck(applied: number[], expected: number): HealthReport["checks"]["migrations"] {
  const done = new Set(applied);
  // More rows than we know of is a newer release's schema: still everything this code needs.
  const current = EXPECTED_MIGRATIONS.every((when) => done.has(when));
  return current
    ? { ok: true, applied: applied.length, expected }
    : { ok: false, reason: "migrations pending", applied: applied.length, expected };
}

type Heartbeat = {
  last_seen_at: string | null;
  age_seconds: number | null;
};

function newestHeartbeat(tx: Tx): Promise<Heartbeat> {
  // The age is measured on the database's clock, which also stamped the heartbeat.
  return tx
    .execute<Heartbeat>(
      sql`select to_char(max(last_seen_at) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') as last_seen_at,
                 floor(extract(epoch from now() - max(last_seen_at)))::int as age_seconds
          from worker_heartbeat`,
    )
    .then(([row]) => row);
}

function workerCheck(beat: Heartbeat, maxAgeSeconds: number): HealthReport["checks"]["worker"] {
  const seen = { last_heartbeat_at: beat.last_seen_at, age_seconds: beat.age_seconds };
  if (beat.age_seconds === null) return { ok: false, reason: "no worker heartbeat", ...seen };
  if (beat.age_seconds > maxAgeSeconds) return { ok: false, reason: "worker heartbeat too old", ...seen };
  return { ok: true, ...seen };
}

async function queueDepth(tx: Tx): Promise<{ queued: number; active: number }> {
  const [row] = await tx.execute<{ queued: number; active: number }>(
    sql`select count(*) filter (where state in ('created', 'retry'))::int as queued,
               count(*) filter (where state = 'active')::int as active
        from pgboss.job
        where name in ${BILLING_QUEUES} and state in ('created', 'retry', 'active')`,
  );
  return row;
}

/** One check in its own short transaction: the server cancels it after the timeout, and a
 * connection that never comes is given up on at the same moment. */
async function bounded<T>(db: Db, timeoutMs: number, run: (tx: Tx) => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`health check timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  const work = db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('statement_timeout', ${String(timeoutMs)}, true)`);
    return run(tx);
  });
  // A late failure of the abandoned query must not become an unhandled rejection.
  work.catch(() => {});
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

type Attempt<T> = { ok: true; value: T } | { ok: false };

async function attempt<T>(check: string, run: () => Promise<T>): Promise<Attempt<T>> {
  try {
    return { ok: true, value: await run() };
  } catch (err) {
    logger.warn({ err, check }, "health check failed");
    return { ok: false };
  }
}

function unavailable(check: string): Failure {
  return { ok: false, reason: `${check} check failed` };
}
