import type { DbOrTx } from "../../db/client";
import * as invoices from "../../db/queries/invoices";
import * as ledger from "../../db/queries/ledger";
import * as receipts from "../../db/queries/receipts";
import { ApiError } from "../api/errors";
import type { Scope } from "../auth/scope";
import { byApartment } from "../ledger/account";
import { monthToDate, type Month } from "../months";
import { findApartment } from "../registry/apartments";
import { getRequisites, missingRequisites } from "../registry/requisites";
import { buildReceipt, type ReceiptDocument, type ReceiptPayee } from "./document";

// Loading what the payment documents need: one apartment's, or a house's all at once (a few
// statements for a thousand apartments, not a thousand times a few).

/** The workspace's requisites, refused (409 requisites_incomplete) while a payment QR code could not be made. */
async function payeeOf(db: DbOrTx, workspaceId: number): Promise<{ payee: ReceiptPayee; paymentDueDay: number }> {
  const payee = await getRequisites(db, workspaceId);
  if (!payee) throw new Error(`workspace ${workspaceId} is gone`);
  const missing = missingRequisites(payee);
  if (missing.length > 0) {
    const fields = missing.join(", ");
    throw new ApiError({
      reason: "requisites_incomplete",
      message: `the workspace's requisites lack ${fields}: a payment document needs them (PATCH /api/workspaces/${workspaceId}/requisites)`,
      params: { fields, workspace_id: workspaceId },
    });
  }
  return { payee, paymentDueDay: await ledger.paymentDueDay(db, workspaceId) };
}

/** One apartment's payment document for a month (its invoice must exist: 409 receipt_no_invoice). */
export async function apartmentReceipt(db: DbOrTx, scope: Scope, apartmentId: number, month: Month): Promise<ReceiptDocument> {
  const found = await findApartment(db, scope, apartmentId);
  const period = monthToDate(month);
  const [apartment] = await receipts.receiptApartments(db, { apartmentId: found.id }, period);
  const invoice = apartment && (await invoices.findApartmentInvoice(db, found.id, period));
  if (!apartment || !invoice) {
    throw new ApiError({
      reason: "receipt_no_invoice",
      message: `apartment ${apartmentId} has no invoice for ${month}: bill the month first`,
      params: { month },
    });
  }
  const { payee, paymentDueDay } = await payeeOf(db, apartment.workspace_id);
  const entries = await ledger.apartmentEntries(db, apartment.id);
  const rates = await ledger.keyRates(db, apartment.workspace_id);
  return buildReceipt({ apartment, invoice, entries, rates, payee, paymentDueDay });
}

/** Checks a house's month can be printed; the count of documents and whether it is a draft. */
export async function houseReceiptsPlan(db: DbOrTx, houseId: number, workspaceId: number, month: Month) {
  await payeeOf(db, workspaceId);
  const total = await receipts.countHouseInvoices(db, houseId, monthToDate(month));
  if (total === 0) {
    throw new ApiError({
      reason: "receipt_no_invoices",
      message: `house ${houseId} has no invoices for ${month}: bill the month first`,
      params: { month },
    });
  }
  return total;
}

/** Every payment document of a house's month, in apartment order. */
export async function houseReceipts(db: DbOrTx, houseId: number, workspaceId: number, month: Month): Promise<ReceiptDocument[]> {
  const period = monthToDate(month);
  const { payee, paymentDueDay } = await payeeOf(db, workspaceId);
  const apartments = await receipts.receiptApartments(db, { houseId }, period);
  const monthInvoices = new Map((await invoices.listHouseInvoices(db, houseId, period)).map((i) => [i.apartment_id, i]));
  const entries = byApartment(await ledger.houseEntries(db, houseId));
  const rates = await ledger.keyRates(db, workspaceId);
  return apartments.flatMap((apartment) => {
    const invoice = monthInvoices.get(apartment.id);
    return invoice ? [buildReceipt({ apartment, invoice, entries: entries.get(apartment.id) ?? [], rates, payee, paymentDueDay })] : [];
  });
}
