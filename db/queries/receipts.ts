import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { ReceiptBatchStatus } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { apartment, house, invoice, receiptBatch } from "../schema";
import { apartmentOrder } from "./fragments";

// The payment documents (issue 17): whom each one is addressed to, and a house's batches.

export type ReceiptApartmentRow = {
  id: number;
  number: string;
  account_number: string;
  owner_name: string;
  area: string;
  residents: number;
  house_id: number;
  address: string;
  workspace_id: number;
};

/**
 * The apartments that have an invoice for the month (the ones a payment document is made for),
 * in the house's apartment order: one apartment, or a whole house.
 */
export async function receiptApartments(
  db: DbOrTx,
  where: { apartmentId: number } | { houseId: number },
  period: string,
): Promise<ReceiptApartmentRow[]> {
  const filter = "apartmentId" in where ? eq(apartment.id, where.apartmentId) : eq(apartment.houseId, where.houseId);
  const { rows } = await db.execute<ReceiptApartmentRow>(sql`
    select ${apartment.id} as id, ${apartment.number} as number, ${apartment.accountNumber} as account_number,
           ${apartment.ownerName} as owner_name, ${apartment.area}::text as area, ${apartment.residents} as residents,
           ${apartment.houseId} as house_id, ${house.address} as address, ${house.workspaceId} as workspace_id
    from ${apartment} join ${house} on ${house.id} = ${apartment.houseId}
    where ${filter} and exists (select 1 from ${invoice} where ${invoice.apartmentId} = ${apartment.id} and ${invoice.period} = ${period}::date)
    order by ${apartmentOrder(apartment)}`);
  return [...rows];
}

/** How many apartments of the house have an invoice for the month. */
export async function countHouseInvoices(db: DbOrTx, houseId: number, period: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(invoice)
    .where(and(eq(invoice.houseId, houseId), eq(invoice.period, period)));
  return row?.n ?? 0;
}

export type ReceiptBatchRecord = {
  id: number;
  workspaceId: number;
  houseId: number;
  period: string;
  status: ReceiptBatchStatus;
  draft: boolean;
  total: number;
  done: number;
  pdfSize: number | null;
  error: string | null;
  createdById: number | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
};

const batchColumns = {
  id: receiptBatch.id,
  workspaceId: receiptBatch.workspaceId,
  houseId: receiptBatch.houseId,
  period: receiptBatch.period,
  status: receiptBatch.status,
  draft: receiptBatch.draft,
  total: receiptBatch.total,
  done: receiptBatch.done,
  pdfSize: receiptBatch.pdfSize,
  error: receiptBatch.error,
  createdById: receiptBatch.createdById,
  createdAt: receiptBatch.createdAt,
  startedAt: receiptBatch.startedAt,
  finishedAt: receiptBatch.finishedAt,
};

export async function insertBatch(
  db: DbOrTx,
  values: { workspaceId: number; houseId: number; period: string; draft: boolean; total: number; createdById: number | null },
): Promise<ReceiptBatchRecord> {
  const [row] = await db.insert(receiptBatch).values(values).returning(batchColumns);
  return row as ReceiptBatchRecord;
}

export async function findBatch(db: DbOrTx, workspaceIds: number[], id: number): Promise<ReceiptBatchRecord | undefined> {
  const [row] = await db
    .select(batchColumns)
    .from(receiptBatch)
    .where(and(eq(receiptBatch.id, id), inArray(receiptBatch.workspaceId, workspaceIds)));
  return row as ReceiptBatchRecord | undefined;
}

/** A batch by its id alone: the worker's look (the job names the batch it was sent for). */
export async function getBatchForJob(db: DbOrTx, id: number): Promise<ReceiptBatchRecord | undefined> {
  const [row] = await db.select(batchColumns).from(receiptBatch).where(eq(receiptBatch.id, id));
  return row as ReceiptBatchRecord | undefined;
}

/** A house's batches of a month (or of every month), newest first. */
export async function listBatches(db: DbOrTx, houseId: number, period?: string, limit = 20): Promise<ReceiptBatchRecord[]> {
  const rows = await db
    .select(batchColumns)
    .from(receiptBatch)
    .where(and(eq(receiptBatch.houseId, houseId), period ? eq(receiptBatch.period, period) : undefined))
    .orderBy(desc(receiptBatch.id))
    .limit(limit);
  return rows as ReceiptBatchRecord[];
}

export async function updateBatch(
  db: DbOrTx,
  id: number,
  values: Partial<
    Pick<typeof receiptBatch.$inferInsert, "status" | "done" | "total" | "draft" | "pdf" | "pdfSize" | "error" | "startedAt" | "finishedAt">
  >,
): Promise<void> {
  await db.update(receiptBatch).set(values).where(eq(receiptBatch.id, id));
}

export async function batchPdf(db: DbOrTx, id: number): Promise<Buffer | null> {
  const [row] = await db.select({ pdf: receiptBatch.pdf }).from(receiptBatch).where(eq(receiptBatch.id, id));
  return row?.pdf ?? null;
}
