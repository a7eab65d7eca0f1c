import { z } from "zod";
import { RECEIPT_BATCH_STATUSES } from "../constants";
import { month } from "./common";
import { count, id, month as monthValue, timestamp } from "./values";

// The payment documents (issue 17): one apartment's PDF, a house's batch.

// ---- requests ----

export const receiptQuery = z.strictObject({ period: month.meta({ description: 'the month of the document, "YYYY-MM"' }) });

export const startReceiptBatchBody = z.strictObject({
  period: month.meta({ description: "the month whose payment documents to make; the house must have invoices for it" }),
});

export const receiptBatchesQuery = z.strictObject({
  period: month.optional().meta({ description: "only this month's batches; default: every month's, newest first" }),
});

// ---- responses ----

export const receiptBatchOut = z
  .strictObject({
    id,
    house_id: id,
    period: monthValue,
    status: z.enum(RECEIPT_BATCH_STATUSES).meta({ description: "queued → running → done | failed" }),
    draft: z.boolean().meta({ description: "the month was not posted: every page is watermarked «черновик»" }),
    total: count.meta({ description: "payment documents in the batch (apartments with an invoice for the month)" }),
    done: count.meta({ description: "documents rendered so far" }),
    percent: z.int().min(0).max(100),
    pdf_size: count.nullable().meta({ description: "bytes of the PDF once done" }),
    error: z.string().nullable().meta({ description: "why the batch failed (English)" }),
    created_at: timestamp,
    started_at: timestamp.nullable(),
    finished_at: timestamp.nullable(),
    download: z.string().nullable().meta({ description: "the PDF's address once done" }),
  })
  .meta({ id: "ReceiptBatch" });
export type ReceiptBatchOut = z.infer<typeof receiptBatchOut>;

export const receiptBatchList = z.strictObject({ items: z.array(receiptBatchOut) });
