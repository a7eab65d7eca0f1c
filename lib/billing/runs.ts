import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { billingRun, type BillingRun } from "../../db/schema";
import { notFound } from "../api/errors";
import type { Scope } from "../auth/scope";
import { dateToMonth } from "../months";
import { findHouse } from "../registry/houses";

/** Whole percent, never above 100; an empty run that completed is 100%. */
function percentOf(run: Pick<BillingRun, "processed" | "total" | "status">): number {
  if (run.total === 0) return run.status === "completed" ? 100 : 0;
  return Math.floor((run.processed * 100) / run.total);
}

export function serializeRun(run: BillingRun) {
  return {
    id: run.id,
    workspace_id: run.workspaceId,
    house_id: run.houseId,
    period: dateToMonth(run.period),
    status: run.status,
    processed: run.processed,
    total: run.total,
    percent: percentOf(run),
    created_at: run.createdAt.toISOString(),
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
    error: run.error,
    summary: {
      invoices: run.invoices,
      water: run.water,
      maintenance: run.maintenance,
      total: run.totalAmount,
      flags: run.flags,
    },
  };
}

export type BillingRunView = ReturnType<typeof serializeRun>;

export async function getBillingRun(db: DbOrTx, scope: Scope, runId: number) {
  const [run] = await db
    .select()
    .from(billingRun)
    .where(and(eq(billingRun.id, runId), inArray(billingRun.workspaceId, scope.workspaceIds)));
  if (!run) throw notFound("billing run", runId);
  return serializeRun(run);
}

/** A house's runs, newest first (its own and the portfolio runs that covered it are separate). */
export async function listHouseBillingRuns(db: DbOrTx, scope: Scope, houseId: number, limit = 50) {
  await findHouse(db, scope, houseId);
  const runs = await db
    .select()
    .from(billingRun)
    .where(and(eq(billingRun.houseId, houseId), inArray(billingRun.workspaceId, scope.workspaceIds)))
    .orderBy(desc(billingRun.createdAt), desc(billingRun.id))
    .limit(limit);
  return { items: runs.map(serializeRun) };
}

/** The run row locked for the rest of the transaction. */
export async function lockRun(tx: DbOrTx, runId: number): Promise<BillingRun | undefined> {
  const [run] = await tx.select().from(billingRun).where(eq(billingRun.id, runId)).for("no key update");
  return run;
}

export async function failRun(tx: DbOrTx, runId: number, error: string): Promise<void> {
  await tx
    .update(billingRun)
    .set({ status: "failed", error, finishedAt: sql`now()` })
    .where(and(eq(billingRun.id, runId), inArray(billingRun.status, ["queued", "running"])));
}
