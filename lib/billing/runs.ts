import type { DbOrTx } from "../../db/client";
import * as billing from "../../db/queries/billing";
import type { BillingRun as BillingRunRow } from "../../db/schema";
import { notFound } from "../api/errors";
import type { Scope } from "../auth/scope";
import { dateToMonth } from "../months";
import { progressPercent } from "../progress";
import type { BillingRun, BillingRunList } from "../schemas/responses";
import { findHouse } from "../registry/houses";

export function serializeRun(run: BillingRunRow): BillingRun {
  return {
    id: run.id,
    workspace_id: run.workspaceId,
    house_id: run.houseId,
    period: dateToMonth(run.period),
    status: run.status,
    processed: run.processed,
    total: run.total,
    percent: progressPercent(run.processed, run.total, run.status === "completed"),
    created_at: run.createdAt.toISOString(),
    started_at: run.startedAt?.toISOString() ?? null,
    finished_at: run.finishedAt?.toISOString() ?? null,
    error: run.error,
    error_reason: run.errorReason,
    error_params: run.errorParams,
    summary: {
      invoices: run.invoices,
      water: run.water,
      maintenance: run.maintenance,
      total: run.totalAmount,
      flags: run.flags,
    },
  };
}

export async function getBillingRun(db: DbOrTx, scope: Scope, runId: number): Promise<BillingRun> {
  const run = await billing.getRun(db, runId, scope.workspaceIds);
  if (!run) throw notFound("billing run", runId);
  return serializeRun(run);
}

/** A house's runs, newest first (its own and the portfolio runs that covered it are separate). */
export async function listHouseBillingRuns(db: DbOrTx, scope: Scope, houseId: number, limit = 50): Promise<BillingRunList> {
  await findHouse(db, scope, houseId);
  const runs = await billing.listHouseRuns(db, { houseId, workspaceIds: scope.workspaceIds, limit });
  return { items: runs.map(serializeRun) };
}
