import PgBoss from "pg-boss";
import type { DbOrTx } from "../db/client";
import { env } from "../lib/env";

export const QUEUES = {
  /** { runId }: fix the prices, split the run into parts, enqueue a job per part */
  billingPlan: "billing-plan",
  /** { runId, partId }: bill the part's apartments chunk by chunk */
  billingPart: "billing-part",
} as const;

export interface BillingPlanJob {
  runId: number;
}
export interface BillingPartJob {
  runId: number;
  partId: number;
}

/**
 * A job whose worker died is failed by pg-boss's maintenance after this long and retried by
 * another worker; parts resume from their committed cursor, so a retry repeats nothing.
 */
const jobExpireSeconds = () => env().BILLING_JOB_EXPIRE_SECONDS;

export function createBoss(connectionString: string, options: Partial<PgBoss.ConstructorOptions> = {}): PgBoss {
  return new PgBoss({
    connectionString,
    schema: "pgboss",
    max: 4,
    maintenanceIntervalSeconds: env().WORKER_MAINTENANCE_SECONDS,
    ...options,
  });
}

/**
 * pg-boss 10 drops sends to a queue that does not exist: create every queue up front, and
 * apply the current retry and expiry settings (jobs take them from their queue when sent).
 */
export async function ensureQueues(boss: PgBoss): Promise<void> {
  for (const name of Object.values(QUEUES)) {
    // Retries wait 1–2 s, then twice as long each time (pg-boss's backoff, with jitter): the
    // default 10 span 17–34 minutes of a database away. A run whose jobs have all given
    // up is failed by the worker's sweep (lib/billing/abandoned-runs.ts).
    const options = {
      name,
      retryLimit: env().BILLING_JOB_RETRY_LIMIT,
      retryDelay: 1,
      retryBackoff: true,
      expireInSeconds: jobExpireSeconds(),
    };
    await boss.createQueue(name, options);
    await boss.updateQueue(name, options);
  }
}

/** Creates (or upgrades) pg-boss's tables and our queues; run with the migrations. */
export async function installJobSchema(connectionString: string): Promise<void> {
  const boss = createBoss(connectionString, { supervise: false, schedule: false, max: 1 });
  await boss.start();
  try {
    await ensureQueues(boss);
  } finally {
    await boss.stop({ graceful: false, wait: true });
  }
}

/** pg-boss's `db` option, over our open transaction: the job is part of the caller's commit. */
export function inTransaction(tx: DbOrTx): PgBoss.Db {
  // Drizzle keeps the postgres.js transaction on its session; pg-boss only needs executeSql.
  const client = (tx as unknown as { session: { client: { unsafe: (q: string, v: unknown[]) => Promise<unknown[]> } } }).session.client;
  return {
    executeSql: async (text: string, values: unknown[] = []) => ({
      rows: await client.unsafe(
        text,
        // As the pg driver pg-boss is written for does: undefined is NULL, objects are JSON.
        values.map((v) => (v === undefined ? null : v !== null && typeof v === "object" && !(v instanceof Date) ? JSON.stringify(v) : v)),
      ),
    }),
  };
}

let sender: PgBoss | undefined;

/** A pg-boss instance that only sends (the web process): no maintenance, no polling. */
export function jobSender(): PgBoss {
  sender ??= new PgBoss({
    connectionString: process.env.DATABASE_URL!,
    schema: "pgboss",
    supervise: false,
    schedule: false,
    migrate: false,
    max: 1,
  });
  return sender;
}
