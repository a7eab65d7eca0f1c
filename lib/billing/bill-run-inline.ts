import type { DbOrTx } from "../../db/client";
import { runPartIds } from "../../db/queries/billing";
import { billNextChunk } from "./bill-chunk";
import { planBillingRun } from "./plan-billing-run";

/**
 * Plans a queued run and bills every part in this process, exactly as the worker's jobs would
 * but without pg-boss in between: for the demo seed (inside its transaction, so no worker ever
 * sees the run unfinished) and for the calculation tests, where the queue is not the subject.
 */
export async function billRunInline(db: DbOrTx, runId: number, chunkSize = 1000): Promise<void> {
  await planBillingRun(db, runId, { enqueue: false });
  for (const partId of await runPartIds(db, runId)) {
    while (!(await billNextChunk(db, partId, chunkSize)).done) {
      // next chunk
    }
  }
}
