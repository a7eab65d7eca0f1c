import type { DbOrTx } from "../../db/client";
import * as billing from "../../db/queries/billing";
import { env } from "../env";
import { sendJobs } from "../jobs/boss";
import { billingPartJob } from "../jobs/billing-part";
import { dateToMonth } from "../months";

export type PlanResult =
  { kind: "planned"; partIds: number[] } | { kind: "completed" } | { kind: "failed"; error: string } | { kind: "skipped" };

/**
 * Starts a queued run: fixes the price of every service each house needs (failing the run,
 * before any invoice, when one is missing), splits the apartments into parts by id and
 * enqueues a job per part, all in one transaction. Running it twice does nothing the second time.
 */
export async function planBillingRun(db: DbOrTx, runId: number, options: { enqueue?: boolean } = {}): Promise<PlanResult> {
  return db.transaction(async (tx) => {
    const run = await billing.lockRun(tx, runId);
    if (!run || run.status !== "queued") return { kind: "skipped" };
    const meterIdBound = await billing.highestMeterId(tx);

    await billing.fixRunPrices(tx, runId, run, run.period);
    const missing = await billing.missingRunPrices(tx, runId, run, meterIdBound);
    if (missing.length > 0) {
      const month = dateToMonth(run.period);
      const list = missing.slice(0, 5).map((m) => `${m.service} for house ${m.house_id} (${m.address})`);
      const error = `no price in force in ${month}: ${list.join("; ")}${missing.length > 5 ? `; and ${missing.length - 5} more` : ""}. Add the tariff and run again.`;
      const [first] = missing;
      await billing.dropRunPrices(tx, runId);
      await billing.failRun(tx, runId, {
        reason: "missing_price",
        params: { month, service: first.service, house_id: first.house_id, address: first.address, more: missing.length - 1 },
        message: error,
      });
      return { kind: "failed", error };
    }

    const { partIds, total } = await billing.insertRunParts(tx, runId, run, env().BILLING_PART_SIZE);
    // The apartments as they stand now (some may have been deleted since the request).
    await billing.startRun(tx, runId, { total, meterIdBound });
    if (partIds.length === 0) return { kind: "completed" };
    if (options.enqueue !== false) {
      await sendJobs(
        tx,
        billingPartJob,
        partIds.map((partId) => ({ runId, partId })),
      );
    }
    return { kind: "planned", partIds };
  });
}
