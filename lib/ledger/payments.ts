import type { DbOrTx } from "../../db/client";
import * as ledger from "../../db/queries/ledger";
import { ApiError, fieldError, notFound } from "../api/errors";
import type { Actor } from "../auth/sessions";
import { requireWorkspace, type Scope } from "../auth/scope";
import { Dec } from "../money";
import { monthToDate } from "../months";
import type { z } from "zod";
import type { CreatePaymentBody, PaymentOut, listPaymentsQuery } from "../schemas/ledger";
import { ledgerToday } from "./get-account";
import { serializeApartment, serializeEntry } from "./serialize";

// Payments (issue 16): recorded once, never changed; a payment entered by mistake is reversed
// by a new entry with a reason, and the original stays. Stored negative (they lower the debt),
// answered positive.

function serializePayment(row: ledger.PaymentRow): PaymentOut {
  return {
    ...serializeEntry(row),
    amount: new Dec(row.amount).neg().toFixed(2),
    apartment: serializeApartment({ ...row, id: row.apartment_id, number: row.apartment_number, archived: false }),
  };
}

/** Who is writing, for the entry's own columns (the history names them too). */
export const writer = (actor: Pick<Actor, "personId" | "apiKeyId">) => ({ createdById: actor.personId, apiKeyId: actor.apiKeyId });

/** The apartment a payment is for: by id, or by account number in the caller's (or the named) workspaces. */
async function paymentApartment(db: DbOrTx, scope: Scope, body: CreatePaymentBody): Promise<ledger.LedgerApartmentRow> {
  if (body.apartment_id !== undefined) {
    const found = await ledger.findLedgerApartment(db, scope.workspaceIds, body.apartment_id);
    if (!found) throw notFound("apartment", body.apartment_id);
    return found;
  }
  const workspaces = body.workspace_id === undefined ? scope.workspaceIds : [requireWorkspace(scope, body.workspace_id)];
  const found = await ledger.findApartmentsByAccount(db, workspaces, body.account_number!);
  if (found.length === 0) {
    const message = `no apartment has the account number ${body.account_number}`;
    throw new ApiError({
      reason: "account_number_unknown",
      message,
      params: { account_number: body.account_number! },
      fields: { account_number: fieldError("invalid", message) },
    });
  }
  if (found.length > 1) {
    throw new ApiError({
      reason: "account_number_ambiguous",
      message: `the account number ${body.account_number} is in ${found.length} of your workspaces: name one with workspace_id`,
      params: { account_number: body.account_number!, workspaces: found.length },
    });
  }
  return found[0];
}

export async function createPayment(
  db: DbOrTx,
  scope: Scope,
  actor: Pick<Actor, "kind" | "personId" | "apiKeyId">,
  body: CreatePaymentBody,
): Promise<PaymentOut> {
  const apartment = await paymentApartment(db, scope, body);
  const today = ledgerToday();
  if (body.paid_on > today) {
    const message = `the payment date ${body.paid_on} is after today (${today})`;
    throw new ApiError({
      reason: "date_in_future",
      message,
      params: { date: body.paid_on, today },
      fields: { paid_on: fieldError("invalid", message) },
    });
  }
  if (body.external_id !== undefined) {
    const existing = await ledger.findPaymentByExternalId(db, apartment.workspace_id, body.external_id);
    if (existing !== undefined) throw duplicate(body.external_id, existing);
  }
  const [id] = await ledger.insertEntries(db, [
    {
      workspaceId: apartment.workspace_id,
      houseId: apartment.house_id,
      apartmentId: apartment.id,
      kind: "payment",
      entryDate: body.paid_on,
      amount: new Dec(body.amount).neg().toFixed(2),
      period: body.period ? monthToDate(body.period) : null,
      // a person types it on a page; a key is an integration (the import writes "import")
      source: actor.kind === "api_key" ? "api" : "manual",
      externalId: body.external_id ?? null,
      payer: body.payer ?? null,
      comment: body.comment ?? null,
      ...writer(actor),
    },
  ]);
  return getPayment(db, scope, id);
}

function duplicate(externalId: string, paymentId: number): ApiError {
  const message = `a payment with the bank id ${externalId} is already recorded (payment ${paymentId})`;
  return new ApiError({
    reason: "payment_duplicate",
    message,
    params: { external_id: externalId, payment_id: paymentId },
    fields: { external_id: fieldError("payment_duplicate", message) },
  });
}

async function getPayment(db: DbOrTx, scope: Scope, id: number): Promise<PaymentOut> {
  const [row] = await ledger.listPayments(db, { workspaceIds: scope.workspaceIds, id, limit: 1 });
  if (!row) throw notFound("payment", id);
  return serializePayment(row);
}

export async function listPayments(db: DbOrTx, scope: Scope, query: z.output<typeof listPaymentsQuery>) {
  const workspaceIds = query.workspace_id === undefined ? scope.workspaceIds : [requireWorkspace(scope, query.workspace_id)];
  const rows = await ledger.listPayments(db, {
    workspaceIds,
    houseId: query.house_id,
    apartmentId: query.apartment_id,
    from: query.from,
    to: query.to,
    source: query.source,
    importId: query.import_id,
    before: query.before,
    limit: query.limit + 1,
  });
  const page = rows.slice(0, query.limit);
  return { payments: page.map(serializePayment), next_before: rows.length > query.limit ? page[page.length - 1].id : null };
}

/** Reverses a payment: a new entry of the opposite amount, with the reason; the payment stays. */
export async function reversePayment(
  db: DbOrTx,
  scope: Scope,
  actor: Pick<Actor, "personId" | "apiKeyId">,
  id: number,
  reason: string,
): Promise<PaymentOut> {
  const found = await ledger.findPayment(db, scope.workspaceIds, id);
  if (!found) throw notFound("payment", id);
  await ledger.lockAccount(db, found.apartment_id);
  const current = await ledger.findPayment(db, scope.workspaceIds, id);
  if (current!.reversed_by !== null) {
    throw new ApiError({
      reason: "payment_already_reversed",
      message: `payment ${id} has already been reversed (entry ${current!.reversed_by})`,
      params: { payment_id: id, reversal_id: current!.reversed_by },
    });
  }
  await ledger.insertEntries(db, [reversalOf(found, reason, actor)]);
  return getPayment(db, scope, id);
}

/** The entry that undoes `entry`: the opposite amount, on the same day, naming it. */
export function reversalOf(entry: ledger.EntryRow, reason: string, actor: Pick<Actor, "personId" | "apiKeyId">): ledger.NewEntry {
  return {
    workspaceId: entry.workspace_id,
    houseId: entry.house_id,
    apartmentId: entry.apartment_id,
    kind: "reversal",
    entryDate: entry.entry_date,
    amount: new Dec(entry.amount).neg().toFixed(2),
    period: entry.period,
    reversesId: entry.id,
    reason,
    ...writer(actor),
  };
}
