import type { Db } from "../../db/client";
import * as billing from "../../db/queries/billing";
import { sendJobs } from "../jobs/boss";
import { billingPartJob } from "../jobs/billing-part";

// A part is billed by the worker that holds its lease (billing_run_part.leased_by, lease_until).
// The worker takes it when its job starts (lib/jobs/billing-part.ts), renews it every third of
// BILLING_LEASE_SECONDS while it bills (jobs/worker.ts) and gives it back when it stops; each
// chunk checks it under the part's row lock, so a worker that lost its lease bills nothing more.
// A lease that ran out means its worker died (or lost the database): every worker looks for such
// parts as often as it renews its own, and hands each on with a new job, which any live worker
// takes. pg-boss's job expiry no longer has to notice a dead worker, and a slow part whose worker
// is alive keeps its lease however long it takes.

export interface LapsedPart {
  partId: number;
  runId: number;
  /** the worker whose lease ran out */
  leasedBy: string;
}

/** Hands on the parts whose lease ran out: each gets a new part job, in the transaction that clears its lease. */
export async function requeueLapsedParts(db: Db): Promise<LapsedPart[]> {
  return db.transaction(async (tx) => {
    const lapsed = await billing.clearLapsedLeases(tx);
    await sendJobs(
      tx,
      billingPartJob,
      lapsed.map((p) => ({ runId: p.run_id, partId: p.part_id })),
    );
    return lapsed.map((p) => ({ partId: p.part_id, runId: p.run_id, leasedBy: p.leased_by }));
  });
}
