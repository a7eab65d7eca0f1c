import type { DbOrTx } from "../../db/client";
import * as ledger from "../../db/queries/ledger";
import { Dec } from "../money";
import { monthToDate, type Month } from "../months";
import { byApartment, computeAccount } from "./account";
import { chargeDueDate, lastDayOfMonth } from "./dates";
import { reversalOf } from "./payments";

// What posting and reopening a house's month write into the apartments' accounts (issue 16):
// - posting month M: a charge per invoice of M (its total), dated the last day of M and due on
//   the workspace's due day of M+1 (moved off a weekend); then, per apartment, the penalties
//   accrued up to the last day of M and not yet entered become one penalty entry of M;
// - reopening M reverses those entries (each by its own reversal); posting M again writes them anew.

type Who = { personId: number | null; apiKeyId?: number | null };

export async function writeMonthEntries(db: DbOrTx, houseId: number, month: Month, who: Who): Promise<void> {
  const period = monthToDate(month);
  const workspaceId = await ledger.workspaceOfHouse(db, houseId);
  const due = chargeDueDate(month, await ledger.paymentDueDay(db, workspaceId));
  const date = lastDayOfMonth(month);
  const writer = { createdById: who.personId, apiKeyId: who.apiKeyId ?? null };
  const charges: ledger.NewEntry[] = (await ledger.monthInvoices(db, houseId, period))
    .filter((i) => !new Dec(i.total).isZero())
    .map((i) => ({
      workspaceId,
      houseId,
      apartmentId: i.apartment_id,
      kind: "charge",
      entryDate: date,
      amount: i.total,
      period,
      dueDate: due,
      invoiceId: i.id,
      ...writer,
    }));
  await ledger.insertEntries(db, charges);
  const rates = await ledger.keyRates(db, workspaceId);
  const entries = await ledger.houseEntries(db, houseId);
  const penalties: ledger.NewEntry[] = [];
  for (const [apartmentId, own] of byApartment(entries)) {
    const { penalties: p } = computeAccount(own, rates, date);
    if (new Dec(p.not_charged).isZero()) continue;
    penalties.push({ workspaceId, houseId, apartmentId, kind: "penalty", entryDate: date, amount: p.not_charged, period, ...writer });
  }
  await ledger.insertEntries(db, penalties);
}

export async function reverseMonthEntries(db: DbOrTx, houseId: number, month: Month, who: Who, reason: string): Promise<void> {
  const entries = await ledger.monthEntries(db, houseId, monthToDate(month));
  await ledger.insertEntries(
    db,
    entries.map((e) => reversalOf(e, `month reopened: ${reason}`, { personId: who.personId, apiKeyId: who.apiKeyId ?? null })),
  );
}
