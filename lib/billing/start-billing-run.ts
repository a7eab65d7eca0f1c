import type { DbOrTx } from "../../db/client";
import * as billing from "../../db/queries/billing";
import { notFound } from "../api/errors";
import { pickWorkspace, type Scope } from "../auth/scope";
import { sendJob } from "../jobs/boss";
import { billingPlanJob } from "../jobs/billing-plan";
import { monthToDate, type Month } from "../months";
import { assertNotFuture } from "../periods";
import { findHouse } from "../registry/houses";
import type { BillingRun } from "../schemas/responses";
import { assertMonthOpen } from "./months";
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
export async function startBillingRun(db: DbOrTx, options: StartBillingRunOptions): Promise<{ run: BillingRun; created: boolean }> {
  assertNotFuture(options.period, "months can be billed");
  return db.transaction(async (tx) => {
    let key: billing.RunKey;
    if (options.houseId !== undefined) {
      const found = await findHouse(tx, options.scope, options.houseId);
      // a posted month is never billed again (409 month_closed); a portfolio run leaves such houses out
      await assertMonthOpen(tx, found, options.period);
      key = { workspaceId: found.workspaceId, houseId: found.id, period: monthToDate(options.period) };
    } else {
      const picked = pickWorkspace(options.scope, options.workspaceId);
      if (picked === null) throw notFound("workspace", options.workspaceId);
      key = { workspaceId: picked, houseId: null, period: monthToDate(options.period) };
    }

    for (let attempt = 0; attempt < 5; attempt++) {
      const runId = await billing.insertRunIfNoneActive(tx, { ...key, personId: options.personId });
      if (runId !== null) {
        await sendJob(tx, billingPlanJob, { runId });
        return { run: serializeRun((await billing.getRun(tx, runId))!), created: true };
      }
      const active = await billing.findActiveRun(tx, key);
      if (active !== undefined) return { run: serializeRun((await billing.getRun(tx, active))!), created: false };
      // The active run finished between our insert and our look: try again.
    }
    throw new Error("could not start or find the billing run");
  });
}
