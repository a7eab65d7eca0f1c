import type { DbOrTx } from "../../db/client";
import * as ledger from "../../db/queries/ledger";
import { notFound } from "../api/errors";
import type { Scope } from "../auth/scope";
import { env } from "../env";
import type { AccountOut } from "../schemas/ledger";
import { computeAccount } from "./account";
import { todayIn } from "./dates";
import { serializeApartment, serializeEntry } from "./serialize";

/** Today in the application's time zone: the default date of every account figure. */
export const ledgerToday = (): string => todayIn(env().APP_TIMEZONE);

/** The apartment's account as of a date (default today): entries, months, penalties, balance. */
export async function getApartmentAccount(db: DbOrTx, scope: Scope, apartmentId: number, asOf?: string): Promise<AccountOut> {
  const apartment = await ledger.findLedgerApartment(db, scope.workspaceIds, apartmentId);
  if (!apartment) throw notFound("apartment", apartmentId);
  const date = asOf ?? ledgerToday();
  // one at a time: after a write this runs in the request's transaction, one connection
  const entries = await ledger.apartmentEntries(db, apartment.id);
  const rates = await ledger.keyRates(db, apartment.workspace_id);
  const dueDay = await ledger.paymentDueDay(db, apartment.workspace_id);
  const figures = computeAccount(entries, rates, date);
  return {
    apartment: serializeApartment(apartment),
    payment_due_day: dueDay,
    ...figures,
    entries: entries.filter((e) => e.entry_date <= date).map(serializeEntry),
  };
}
