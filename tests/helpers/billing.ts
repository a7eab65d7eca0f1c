import { getDb } from "../../db/client";
import { billRunInline } from "../../lib/billing/bill-run-inline";

/** Plans the run and bills every part in this process (lib/billing/bill-run-inline.ts). */
export async function billInline(runId: number, chunkSize = 1000): Promise<void> {
  await billRunInline(getDb(), runId, chunkSize);
}
