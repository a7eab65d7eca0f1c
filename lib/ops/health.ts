import { z } from "zod";
import type { Db, Tx } from "../../db/client";
import { queueDepth } from "../../db/queries/pgboss";
import { appliedMigrations, newestHeartbeat, ping, setStatementTimeout, type NewestHeartbeat } from "../../db/queries/workers";
import journal from "../../drizzle/meta/_journal.json";
import { BILLING_QUEUES } from "../jobs/queues";
import { logger } from "../logger";
import type { HealthReport } from "../schemas/responses";

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

const DEFAULT_TIMEOUT_MS = 2000;
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
  const reached = await attempt("database", () => bounded(db, timeoutMs, ping));
  if (!reached.ok) {
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
    attempt("queue", () => bounded(db, timeoutMs, (tx) => queueDepth(tx, BILLING_QUEUES))),
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

function migrationsCheck(applied: number[], expected: number): HealthReport["checks"]["migrations"] {
  const done = new Set(applied);
  // More rows than we know of is a newer release's schema: still everything this code needs.
  const current = EXPECTED_MIGRATIONS.every((when) => done.has(when));
  return current
    ? { ok: true, applied: applied.length, expected }
    : { ok: false, reason: "migrations pending", applied: applied.length, expected };
}

function workerCheck(beat: NewestHeartbeat, maxAgeSeconds: number): HealthReport["checks"]["worker"] {
  const seen = { last_heartbeat_at: beat.last_seen_at, age_seconds: beat.age_seconds };
  if (beat.age_seconds === null) return { ok: false, reason: "no worker heartbeat", ...seen };
  if (beat.age_seconds > maxAgeSeconds) return { ok: false, reason: "worker heartbeat too old", ...seen };
  return { ok: true, ...seen };
}

/** One check in its own short transaction: the server cancels it after the timeout, and a
 * connection that never comes is given up on at the same moment. */
async function bounded<T>(db: Db, timeoutMs: number, run: (tx: Tx) => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`health check timed out after ${timeoutMs} ms`)), timeoutMs);
  });
  const work = db.transaction(async (tx) => {
    await setStatementTimeout(tx, timeoutMs);
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
