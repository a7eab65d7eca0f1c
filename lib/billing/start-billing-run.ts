import { sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { billingRun, type BillingRun } from "../../db/schema";
import { inTransaction, jobSender, QUEUES, type BillingPlanJob } from "../../jobs/boss";
import { notFound } from "../api/errors";
import { pickWorkspace, type Scope } from "../auth/scope";
import { monthToDate, type Month } from "../months";
import { assertNotFuture } from "../periods";
import { findHouse } from "../registry/houses";
import { serializeRun } from "./runs";

export interface StartBillingRunOptions {
  scope: Scope;
  personId: number | null;
  period: Month;
  /** bill this house; without it, every house of the workspace (a portfolio run) */
  houseId?: number;
  workspaceId?: number;
}

/**
 * Records a run and enqueues its job in one transaction. While a run for the same house (or
 * portfolio) and month is queued or running, that run is returned instead (created: false):
 * the partial unique indexes make this hold under any number of concurrent requests.
 */
export async function startBillingRun(db: DbOrTx, options: StartBillingRunOptions) {
  assertNotFuture(options.period, "months can be billed");
  const period = monthToDate(options.period);
  return db.transaction(async (tx) => {
    let workspaceId: number;
    let houseId: number | null = null;
    if (options.houseId !== undefined) {
      const found = await findHouse(tx, options.scope, options.houseId);
      workspaceId = found.workspaceId;
      houseId = found.id;
    } else {
      const picked = pickWorkspace(options.scope, options.workspaceId);
      if (picked === null) throw notFound("workspace", options.workspaceId);
      workspaceId = picked;
    }

    for (let attempt = 0; attempt < 5; attempt++) {
      const inserted = await tx.execute<{ id: number }>(sql`
        with scope as (
          select a.id from apartment a join house h on h.id = a.house_id
          where h.workspace_id = ${workspaceId} and (${houseId}::int is null or a.house_id = ${houseId}::int)
        )
        insert into billing_run (workspace_id, house_id, period, total, apartment_id_bound, created_by_id)
        select ${workspaceId}, ${houseId}::int, ${period}::date, count(*)::int, coalesce(max(id), 0), ${options.personId}::int from scope
        on conflict do nothing
        returning id`);
      if (inserted.length > 0) {
        const runId = inserted[0].id;
        const jobId = await jobSender().send(QUEUES.billingPlan, { runId } satisfies BillingPlanJob, { db: inTransaction(tx) });
        // pg-boss answers null, silently, when the queue does not exist: never record a run no one will bill.
        if (!jobId) throw new Error(`the ${QUEUES.billingPlan} queue is missing: run the migrations (npm run db:migrate)`);
        return { run: serializeRun(await readRun(tx, runId)), created: true };
      }
      const [active] = await tx.execute<{ id: number }>(sql`
        select id from billing_run
        where workspace_id = ${workspaceId} and period = ${period}::date and status in ('queued', 'running')
          and house_id is not distinct from ${houseId}::int`);
      if (active) return { run: serializeRun(await readRun(tx, active.id)), created: false };
      // The active run finished between our insert and our look: try again.
    }
    throw new Error("could not start or find the billing run");
  });
}

async function readRun(tx: DbOrTx, runId: number): Promise<BillingRun> {
  const [run] = await tx
    .select()
    .from(billingRun)
    .where(sql`${billingRun.id} = ${runId}`);
  return run;
}
