import { getDb } from "../../db/client";
import type { JobContext } from "../../lib/jobs/boss";
import { receiptBatchJob } from "../../lib/jobs/receipt-batch";

const quiet = { info: () => {}, warn: () => {}, error: () => {} };

/** Renders a receipt batch in this process, as a worker would (lib/jobs/receipt-batch.ts). */
export async function renderBatchInline(batchId: number): Promise<void> {
  const context = { db: getDb(), stopping: () => false, log: quiet } as unknown as JobContext;
  await receiptBatchJob.handle({ batchId }, context, { id: `inline-${batchId}` });
}

/** Requisites a payment document accepts (check digits valid: tests/requisites.test.ts). */
export const VALID_REQUISITES = {
  org_name: "ООО «УК Тест»",
  inn: "7707083893",
  kpp: "773601001",
  settlement_account: "40702810200000012345",
  bank_name: "ПАО Сбербанк",
  bic: "044525225",
  correspondent_account: "30101810400000000225",
};
