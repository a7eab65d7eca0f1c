import type { DbOrTx } from "../../db/client";
import * as billing from "../../db/queries/billing";
import { env } from "../env";
import { sendJobs } from "../jobs/boss";
import { billingPartJob } from "../jobs/billing-part";
import { dateToMonth } from "../months";

export type PlanResult =
  { kind: "planned"; partIds: number[] } | { kind: "completed" } | { kind: "failed"; error: string } | { kind: "skipped" };

type Missing = { house_id: number; address: string; service: string }[];

/** What a run that cannot start says: the first few of what is missing, and how many more. */
function missingList(missing: Missing, what: (m: Missing[number]) => string): string {
  const list = missing.slice(0, 5).map(what);
  return `${list.join("; ")}${missing.length > 5 ? `; and ${missing.length - 5} more` : ""}`;
}

/**
 * Starts a queued run: fixes the price of every service each house is billed for and the
 * normatives in force, fails the run before any invoice when a needed price or normative is
 * missing, splits the apartments into parts by id and enqueues a job per part, all in one
 * transaction. Running it twice does nothing the second time.
 */
export async function planBillingRun(db: DbOrTx, runId: number, options: { enqueue?: boolean } = {}): Promise<PlanResult> {
  return db.transaction(async (tx) => {
    const run = await billing.lockRun(tx, runId);
    if (!run || run.status !== "queued") return { kind: "skipped" };
    const meterIdBound = await billing.highestMeterId(tx);
    const month = dateToMonth(run.period);

    const fail = async (failure: billing.RunFailure): Promise<PlanResult> => {
      await billing.dropRunFixings(tx, runId);
      await billing.failRun(tx, runId, failure);
      return { kind: "failed", error: failure.message };
    };
    const params = (missing: Missing) => {
      const [first] = missing;
      return { month, service: first.service, house_id: first.house_id, address: first.address, more: missing.length - 1 };
    };

    await billing.fixRunPrices(tx, runId, run, run.period);
    const unpriced = await billing.missingRunPrices(tx, runId, run, meterIdBound);
    if (unpriced.length > 0) {
      return fail({
        reason: "missing_price",
        params: params(unpriced),
        message: `no price in force in ${month}: ${missingList(unpriced, (m) => `${m.service} for house ${m.house_id} (${m.address})`)}. Add the tariff and run again.`,
      });
    }
    await billing.fixRunNormatives(tx, runId, run, run.period);
    const unnormed = await billing.missingRunNormatives(tx, runId, run, meterIdBound);
    if (unnormed.length > 0) {
      return fail({
        reason: "missing_normative",
        params: params(unnormed),
        message:
          `no normative in force in ${month} for a meter to be estimated by the normative in an apartment with people registered: ` +
          `${missingList(unnormed, (m) => `${m.service} for house ${m.house_id} (${m.address})`)}. Add the normative and run again.`,
      });
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
