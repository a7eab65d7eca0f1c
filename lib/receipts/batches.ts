import type { DbOrTx } from "../../db/client";
import { findPostedMonth } from "../../db/queries/months";
import * as receipts from "../../db/queries/receipts";
import { ApiError, notFound } from "../api/errors";
import type { Scope } from "../auth/scope";
import { sendJob } from "../jobs/boss";
import { receiptBatchJob } from "../jobs/receipt-batch";
import { dateToMonth, monthToDate, type Month } from "../months";
import { findHouse } from "../registry/houses";
import { toIso } from "../registry/serialize";
import { progressPercent } from "../progress";
import type { ReceiptBatchOut } from "../schemas/receipts";
import { houseReceiptsPlan } from "./receipts";

// A house's payment documents for a month as one PDF, made by the worker (lib/jobs/receipt-batch.ts)
// with progress like a billing run, then kept to be downloaded.

function serializeBatch(b: receipts.ReceiptBatchRecord): ReceiptBatchOut {
  return {
    id: b.id,
    house_id: b.houseId,
    period: dateToMonth(b.period),
    status: b.status,
    draft: b.draft,
    total: b.total,
    done: b.done,
    percent: progressPercent(b.done, b.total, b.status === "done"),
    pdf_size: b.pdfSize,
    error: b.error,
    created_at: toIso(b.createdAt),
    started_at: b.startedAt ? toIso(b.startedAt) : null,
    finished_at: b.finishedAt ? toIso(b.finishedAt) : null,
    download: b.status === "done" ? `/api/receipt-batches/${b.id}/pdf` : null,
  };
}

/** Asks for a house's documents of a month: a new batch and its job, in the caller's transaction. */
export async function startReceiptBatch(
  db: DbOrTx,
  scope: Scope,
  personId: number | null,
  houseId: number,
  month: Month,
): Promise<ReceiptBatchOut> {
  const house = await findHouse(db, scope, houseId);
  const total = await houseReceiptsPlan(db, house.id, house.workspaceId, month);
  const period = monthToDate(month);
  const draft = !(await findPostedMonth(db, house.id, period));
  const batch = await receipts.insertBatch(db, {
    workspaceId: house.workspaceId,
    houseId: house.id,
    period,
    draft,
    total,
    createdById: personId,
  });
  await sendJob(db, receiptBatchJob, { batchId: batch.id });
  return serializeBatch(batch);
}

export async function getReceiptBatch(db: DbOrTx, scope: Scope, id: number): Promise<ReceiptBatchOut> {
  const batch = await receipts.findBatch(db, scope.workspaceIds, id);
  if (!batch) throw notFound("receipt batch", id);
  return serializeBatch(batch);
}

export async function listReceiptBatches(db: DbOrTx, scope: Scope, houseId: number, month?: Month): Promise<ReceiptBatchOut[]> {
  const house = await findHouse(db, scope, houseId);
  return (await receipts.listBatches(db, house.id, month ? monthToDate(month) : undefined)).map(serializeBatch);
}

/** The finished batch's PDF and a file name for it. */
export async function receiptBatchPdf(db: DbOrTx, scope: Scope, id: number): Promise<{ pdf: Buffer; fileName: string }> {
  const batch = await receipts.findBatch(db, scope.workspaceIds, id);
  if (!batch) throw notFound("receipt batch", id);
  const pdf = batch.status === "done" ? await receipts.batchPdf(db, batch.id) : null;
  if (!pdf) {
    throw new ApiError({
      reason: "receipt_batch_not_ready",
      message: `receipt batch ${id} is ${batch.status}: its PDF can be downloaded once it is done`,
      params: { status: batch.status },
    });
  }
  return { pdf, fileName: `receipts-${batch.houseId}-${dateToMonth(batch.period)}.pdf` };
}
