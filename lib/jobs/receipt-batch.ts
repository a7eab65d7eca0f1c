import { z } from "zod";
import { findHouse } from "../../db/queries/houses";
import { getBatchForJob, updateBatch } from "../../db/queries/receipts";
import { dateToMonth } from "../months";
import { renderReceiptsPdf } from "../receipts/pdf";
import { houseReceipts } from "../receipts/receipts";
import { id } from "../schemas/values";
import type { JobDefinition } from "./boss";
import { RECEIPT_BATCH } from "./queues";

const payload = z.strictObject({ batchId: id });

/** How often (in documents) the batch's progress is written. */
const PROGRESS_EVERY = 25;

/**
 * Makes a house's payment documents into one PDF (lib/receipts/batches.ts sends it). Rendering
 * is repeatable: a worker that dies mid-batch leaves it running, and pg-boss's retry renders it
 * again from the start. A house whose documents cannot be made (requisites cleared meanwhile)
 * fails the batch with the reason.
 */
export const receiptBatchJob: JobDefinition<typeof payload> = {
  name: RECEIPT_BATCH,
  payload,
  async handle({ batchId }, context) {
    const { db, log } = context;
    const batch = await getBatchForJob(db, batchId);
    if (!batch || batch.status === "done" || batch.status === "failed") return;
    const started = Date.now();
    await updateBatch(db, batchId, { status: "running", done: 0, startedAt: new Date() });
    const house = await findHouse(db, { workspaceIds: [batch.workspaceId], houseId: batch.houseId });
    let documents;
    try {
      if (!house) throw new Error("the house is gone");
      documents = await houseReceipts(db, house.id, house.workspaceId, dateToMonth(batch.period));
    } catch (error) {
      await updateBatch(db, batchId, { status: "failed", error: (error as Error).message, finishedAt: new Date() });
      log.warn({ batchId, err: error }, "receipt batch failed");
      return;
    }
    await updateBatch(db, batchId, { total: documents.length, draft: documents.some((d) => d.draft) });
    const pdf = await renderReceiptsPdf(documents, async (done) => {
      if (context.stopping()) throw new Error("worker stopping: the batch is rendered again on the next attempt");
      if (done % PROGRESS_EVERY === 0 && done < documents.length) await updateBatch(db, batchId, { done });
    });
    await updateBatch(db, batchId, { status: "done", done: documents.length, pdf, pdfSize: pdf.length, finishedAt: new Date() });
    log.info({ batchId, documents: documents.length, bytes: pdf.length, ms: Date.now() - started }, "receipt batch done");
  },
};
