import type { DbOrTx } from "../../db/client";
import * as ledger from "../../db/queries/ledger";
import type { Scope } from "../auth/scope";
import { requireWorkspace } from "../auth/scope";
import { Dec } from "../money";
import { findHouse } from "../registry/houses";
import type { DebtorsOut } from "../schemas/ledger";
import { byApartment as groupByApartment, computeAccount } from "./account";
import { daysBetween } from "./dates";
import { ledgerToday } from "./get-account";
import { serializeApartment } from "./serialize";

/**
 * The apartments that owe on a date, the largest debt first (then the longest overdue): a
 * house's, or a workspace's. Each account is worked out from its entries as on the account page.
 */
export async function listDebtors(
  db: DbOrTx,
  scope: Scope,
  where: { houseId: number } | { workspaceId?: number },
  asOf?: string,
): Promise<DebtorsOut> {
  const date = asOf ?? ledgerToday();
  let workspaceId: number;
  let entries: ledger.EntryRow[];
  let apartments: ledger.LedgerApartmentRow[];
  if ("houseId" in where) {
    const house = await findHouse(db, scope, where.houseId);
    workspaceId = await ledger.workspaceOfHouse(db, house.id);
    entries = await ledger.houseEntries(db, house.id);
    apartments = await ledger.ledgerApartments(db, { houseId: house.id });
  } else {
    workspaceId = requireWorkspace(scope, where.workspaceId);
    entries = await ledger.workspaceEntries(db, workspaceId);
    apartments = await ledger.ledgerApartments(db, { workspaceId });
  }
  const rates = await ledger.keyRates(db, workspaceId);
  const byApartment = groupByApartment(entries);
  const debtors: DebtorsOut["debtors"] = [];
  let total = new Dec(0);
  for (const apartment of apartments) {
    const own = byApartment.get(apartment.id);
    if (!own) continue;
    const figures = computeAccount(own, rates, date);
    if (new Dec(figures.balance).lte(0)) continue;
    total = total.plus(figures.balance);
    const oldest = figures.months.find((m) => m.period === figures.oldest_overdue_month);
    debtors.push({
      ...serializeApartment(apartment),
      debt: figures.balance,
      months_overdue: figures.months_overdue,
      oldest_overdue_month: figures.oldest_overdue_month,
      days_overdue: oldest?.due_date ? daysBetween(oldest.due_date, date) : 0,
      penalties_not_charged: figures.penalties.not_charged,
      total_due: figures.total_due,
    });
  }
  debtors.sort((a, b) => new Dec(b.debt).cmp(a.debt) || b.days_overdue - a.days_overdue || a.id - b.id);
  return { as_of: date, total_debt: total.toFixed(2), apartments_in_debt: debtors.length, debtors };
}
