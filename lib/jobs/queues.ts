// The queues' names, apart from their definitions (lib/jobs/<queue>.ts) so that the health
// check can count their jobs without loading the billing engine.

/** { runId }: fix the prices, split the run into parts, enqueue a job per part */
export const BILLING_PLAN = "billing-plan";
/** { runId, partId }: bill the part's apartments chunk by chunk */
export const BILLING_PART = "billing-part";

export const BILLING_QUEUES = [BILLING_PLAN, BILLING_PART];

/** { importId, workspaceId }: check every row of a big payment registry, chunk by chunk */
export const PAYMENT_IMPORT = "payment-import";

/** { importId, workspaceId }: check every row of a big readings file, chunk by chunk */
export const READING_IMPORT = "reading-import";

/** { batchId }: a house's payment documents of a month into one PDF */
export const RECEIPT_BATCH = "receipt-batch";

/** Every queue the worker works on (and the migrations create). */
export const JOB_QUEUES = [...BILLING_QUEUES, PAYMENT_IMPORT, READING_IMPORT, RECEIPT_BATCH];
