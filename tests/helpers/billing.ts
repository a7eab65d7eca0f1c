import { sql } from "drizzle-orm";
import { getDb } from "../../db/client";
import { billNextChunk } from "../../lib/billing/bill-chunk";
import { planBillingRun } from "../../lib/billing/plan-billing-run";

/**
 * Plans the run and bills every part in this process, exactly as the worker's jobs would but
 * without pg-boss in between: for the calculation cases, where the queue is not the subject.
 */
export async function billInline(runId: number, chunkSize = 1000): Promise<void> {
  const db = getDb();
  await planBillingRun(db, runId, { enqueue: false });
  const { rows: parts } = await db.execute<{ id: number }>(sql`select id from billing_run_part where run_id = ${runId} order by id`);
  for (const part of parts) {
    while (!(await billNextChunk(db, part.id, chunkSize)).done) {
      // next chunk
    }
  }
}
