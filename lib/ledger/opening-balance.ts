import type { DbOrTx } from "../../db/client";
import * as ledger from "../../db/queries/ledger";
import { notFound } from "../api/errors";
import type { Actor } from "../auth/sessions";
import type { Scope } from "../auth/scope";
import { Dec } from "../money";
import type { AccountOut, OpeningBalanceBody } from "../schemas/ledger";
import { getApartmentAccount } from "./get-account";
import { reversalOf, writer } from "./payments";

/**
 * Sets the apartment's opening balance (the debt or credit it starts with here): one per
 * apartment. A new one reverses the one in force (the reason says so) and is written after it;
 * an amount of 0 only reverses it. The same amount, date and comment again changes nothing.
 */
export async function setOpeningBalance(
  db: DbOrTx,
  scope: Scope,
  actor: Pick<Actor, "personId" | "apiKeyId">,
  apartmentId: number,
  body: OpeningBalanceBody,
): Promise<AccountOut> {
  const apartment = await ledger.findLedgerApartment(db, scope.workspaceIds, apartmentId);
  if (!apartment) throw notFound("apartment", apartmentId);
  await ledger.lockAccount(db, apartment.id);
  const entries = await ledger.apartmentEntries(db, apartment.id);
  const current = entries.find((e) => e.kind === "opening" && e.reversed_by === null);
  const amount = new Dec(body.amount);
  const same =
    current && new Dec(current.amount).eq(amount) && current.entry_date === body.date && (current.comment ?? undefined) === body.comment;
  if (!same && !(current === undefined && amount.isZero())) {
    const writes: ledger.NewEntry[] = [];
    if (current) writes.push(reversalOf(current, amount.isZero() ? "opening balance removed" : "replaced by a new opening balance", actor));
    if (!amount.isZero()) {
      writes.push({
        workspaceId: apartment.workspace_id,
        houseId: apartment.house_id,
        apartmentId: apartment.id,
        kind: "opening",
        entryDate: body.date,
        amount: amount.toFixed(2),
        comment: body.comment ?? null,
        ...writer(actor),
      });
    }
    // one at a time: the new opening entry comes after the reversal of the old one
    for (const w of writes) await ledger.insertEntries(db, [w]);
  }
  return getApartmentAccount(db, scope, apartment.id);
}
