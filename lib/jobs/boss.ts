import PgBoss from "pg-boss";
import type { z } from "zod";
import type { Db, DbOrTx } from "../../db/client";
import { describeConnectionError, isDatabaseUnreachable } from "../../db/connection-errors";
import { PGBOSS_SCHEMA } from "../../db/queries/pgboss";
import { env } from "../env";
import { logger } from "../logger";

// pg-boss, as this app uses it: one instance per worker process (createBoss), a send-only one in
// the web process (jobSender), queues made from the job definitions (lib/jobs/<queue>.ts), and
// jobs enqueued inside the caller's transaction so that they commit (or not) with its writes.

interface WorkerLog {
  info: (o: object, m: string) => void;
  warn: (o: object, m: string) => void;
}

/** Waits `ms`, or less once the worker is asked to stop. */
export async function pause(context: Pick<JobContext, "stopping">, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until && !context.stopping()) await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
}

/** What a handler gets besides its payload: the worker process's database and state. */
export interface JobContext {
  db: Db;
  /** this worker process (its worker_heartbeat row): the holder of the part leases it takes */
  workerId: string;
  /** the parts this process is billing now, whose leases its heartbeat renews */
  leases: Set<number>;
  /** BILLING_LEASE_SECONDS */
  leaseSeconds: number;
  /** true once the worker was asked to stop: finish the unit of work in flight, take no more */
  stopping: () => boolean;
  log: WorkerLog;
  /** wake this process's part workers right after planning (no polling delay) */
  onPlanned?: () => void;
  chunkSize?: number;
  /** test hook: a pause after each chunk, so that a crash can be placed mid-run */
  chunkPauseMs?: number;
}

/** One queue: its name, its payload's schema, how to send a job and how to handle one. */
export interface JobDefinition<P extends z.ZodType> {
  name: string;
  payload: P;
  /** Handles one job's parsed payload; throwing lets pg-boss retry it (up to the retry limit). */
  handle: (payload: z.output<P>, context: JobContext, job: { id: string }) => Promise<void>;
}

/**
 * A job whose worker died is failed by pg-boss's maintenance after this long and retried by
 * another worker; billing parts resume from their committed cursor, so a retry repeats nothing.
 * Retries wait 1–2 s, then twice as long each time (pg-boss's backoff, with jitter): the default
 * 10 span 17–34 minutes of a database away. A run whose jobs have all given up is failed by the
 * worker's sweep (lib/billing/abandoned-runs.ts).
 */
function queueOptions(): Omit<PgBoss.Queue, "name"> {
  return {
    retryLimit: env().BILLING_JOB_RETRY_LIMIT,
    retryDelay: 1,
    retryBackoff: true,
    expireInSeconds: env().BILLING_JOB_EXPIRE_SECONDS,
  };
}

export function createBoss(connectionString: string, options: Partial<PgBoss.ConstructorOptions> = {}): PgBoss {
  return new PgBoss({
    connectionString,
    schema: PGBOSS_SCHEMA,
    max: 4,
    maintenanceIntervalSeconds: env().WORKER_MAINTENANCE_SECONDS,
    ...options,
  });
}

/**
 * pg-boss 10 drops sends to a queue that does not exist: create every queue up front, and apply
 * the current retry and expiry settings (jobs take them from their queue when sent).
 */
export async function ensureQueues(boss: PgBoss, names: string[]): Promise<void> {
  for (const name of names) {
    await boss.createQueue(name, { name, ...queueOptions() });
    await boss.updateQueue(name, { name, ...queueOptions() });
  }
}

/** pg-boss's `db` option, over our open transaction: the job is part of the caller's commit. */
function inTransaction(tx: DbOrTx): PgBoss.Db {
  // Drizzle keeps the transaction's pg client on its session: the driver pg-boss is written for.
  const client = (tx as unknown as { session: { client: { query: PgBoss.Db["executeSql"] } } }).session.client;
  return { executeSql: (text, values) => client.query(text, values) };
}

/**
 * pg-boss's 'error' listener (unheard, an error event ends the process): a database away (an idle
 * connection the server dropped, a failed poll) is a one-line warning, anything else an error.
 */
export const logBossError = (log: Pick<typeof logger, "warn" | "error">) => (err: Error) =>
  isDatabaseUnreachable(err)
    ? log.warn({ database_unreachable: describeConnectionError(err) }, "pg-boss: the database cannot be reached")
    : log.error({ err }, "pg-boss error");

let sender: PgBoss | undefined;

/** A pg-boss instance that only sends (the web process): no maintenance, no polling. */
function jobSender(): PgBoss {
  if (sender) return sender;
  sender = new PgBoss({
    connectionString: process.env.DATABASE_URL!,
    schema: PGBOSS_SCHEMA,
    supervise: false,
    schedule: false,
    migrate: false,
    max: 1,
  });
  // Its pool's idle connection dropped by the server (a restart, a fail-over) is an 'error' event:
  // unheard, it would end the web process. The next send connects again.
  sender.on("error", logBossError(logger));
  return sender;
}

const parsed = <P extends z.ZodType>(definition: JobDefinition<P>, payload: z.input<P>) => definition.payload.parse(payload) as object;
const missingQueue = (name: string) => new Error(`the ${name} queue is missing: run the migrations (npm run db:migrate)`);

/**
 * Enqueues a job inside the caller's transaction, its payload checked against the definition's
 * schema first. pg-boss answers null, silently, when the queue does not exist: that throws, so
 * that nothing is recorded for a job no one will run.
 */
export async function sendJob<P extends z.ZodType>(tx: DbOrTx, definition: JobDefinition<P>, payload: z.input<P>): Promise<string> {
  const id = await jobSender().send(definition.name, parsed(definition, payload), { db: inTransaction(tx) });
  if (!id) throw missingQueue(definition.name);
  return id;
}

/**
 * Enqueues several jobs of a definition in one statement, inside the caller's transaction.
 * pg-boss 10's insert returns nothing either way (its statement has no RETURNING): a missing
 * queue shows as jobs that never arrive, which the worker's sweep turns into a failed run.
 */
export async function sendJobs<P extends z.ZodType>(tx: DbOrTx, definition: JobDefinition<P>, payloads: z.input<P>[]): Promise<void> {
  if (payloads.length === 0) return;
  await jobSender().insert(
    payloads.map((p) => ({ name: definition.name, data: parsed(definition, p) })),
    { db: inTransaction(tx) },
  );
}

/**
 * The handler pg-boss calls with a batch of a definition's jobs: each payload is parsed when it
 * arrives (a malformed one is logged and dropped: no retry could mend it, and the sweep then
 * fails its run), and a failure is logged before pg-boss retries it, or failures stay invisible.
 */
export function jobHandler<P extends z.ZodType>(definition: JobDefinition<P>, context: JobContext) {
  return async (jobs: { id: string; data: unknown }[]): Promise<void> => {
    for (const job of jobs) {
      const payload = definition.payload.safeParse(job.data);
      if (!payload.success) {
        context.log.warn({ queue: definition.name, jobId: job.id, issues: payload.error.issues }, "job dropped: its payload is malformed");
        continue;
      }
      try {
        await definition.handle(payload.data, context, job);
      } catch (err) {
        context.log.warn(
          { err, queue: definition.name, jobs: [{ id: job.id, data: job.data }] },
          "job failed; pg-boss retries it up to its retry limit",
        );
        throw err;
      }
    }
  };
}

/** Creates (or upgrades) pg-boss's tables and the queues; run with the migrations. */
export async function installJobSchema(connectionString: string, queues: string[]): Promise<void> {
  const boss = createBoss(connectionString, { supervise: false, schedule: false, max: 1 });
  await boss.start();
  try {
    await ensureQueues(boss, queues);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}
