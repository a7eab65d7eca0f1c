import type { DbOrTx } from "../../db/client";
import * as ledger from "../../db/queries/ledger";
import { ApiError, fieldError, notFound, type FieldErrors } from "../api/errors";
import type { Actor } from "../auth/sessions";
import { requireWorkspace, type Scope } from "../auth/scope";
import { Dec } from "../money";
import type { AccountOut, OpeningBalanceBody, OpeningBalancesBody } from "../schemas/ledger";
import { getApartmentAccount } from "./get-account";
import { reversalOf, writer } from "./payments";

type Writer = Pick<Actor, "personId" | "apiKeyId">;
type Outcome = "set" | "removed" | "unchanged";

/**
 * What setting an apartment's opening balance writes, one per apartment: a new one reverses the
 * one in force (the reason says so) and is written after it; an amount of 0 only reverses it;
 * the same amount, date and comment again writes nothing.
 */
function openingWrites(
  apartment: ledger.LedgerApartmentRow,
  current: ledger.EntryRow | undefined,
  body: Pick<OpeningBalanceBody, "amount" | "date" | "comment">,
  actor: Writer,
): { outcome: Outcome; writes: ledger.NewEntry[] } {
  const amount = new Dec(body.amount);
  const same =
    current && new Dec(current.amount).eq(amount) && current.entry_date === body.date && (current.comment ?? undefined) === body.comment;
  if (same || (current === undefined && amount.isZero())) return { outcome: "unchanged", writes: [] };
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
  return { outcome: amount.isZero() ? "removed" : "set", writes };
}

/** Sets the apartment's opening balance (the debt or credit it starts with here). */
export async function setOpeningBalance(
  db: DbOrTx,
  scope: Scope,
  actor: Writer,
  apartmentId: number,
  body: OpeningBalanceBody,
): Promise<AccountOut> {
  const apartment = await ledger.findLedgerApartment(db, scope.workspaceIds, apartmentId);
  if (!apartment) throw notFound("apartment", apartmentId);
  await ledger.lockAccount(db, apartment.id);
  const [current] = await ledger.openingsInForce(db, [apartment.id]);
  // reversal first, then the new entry: ids in that order
  for (const w of openingWrites(apartment, current, body, actor).writes) await ledger.insertEntries(db, [w]);
  return getApartmentAccount(db, scope, apartment.id);
}

/**
 * Opening balances of many apartments by account number, all on one date (the import of the
 * debts an apartment comes with): every row is checked first, and nothing is written unless
 * all of them pass; errors name the rows by index.
 */
export async function setOpeningBalances(db: DbOrTx, scope: Scope, actor: Writer, body: OpeningBalancesBody) {
  const workspaceId = requireWorkspace(scope, body.workspace_id);
  const numbers = [...new Set(body.balances.map((b) => b.account_number))];
  const apartments = new Map((await ledger.apartmentsByAccounts(db, workspaceId, numbers)).map((a) => [a.account_number, a]));
  const fields: FieldErrors = {};
  const first = new Map<string, number>();
  body.balances.forEach((b, index) => {
    const key = `balances.${index}.account_number`;
    const earlier = first.get(b.account_number);
    if (earlier !== undefined) {
      fields[key] = fieldError("duplicate_account", `the account number ${b.account_number} is already given in row ${earlier}`, {
        row: earlier,
      });
    } else if (!apartments.has(b.account_number)) {
      fields[key] = fieldError("account_unknown", `no apartment of the workspace has the account number ${b.account_number}`);
    }
    first.set(b.account_number, earlier ?? index);
  });
  const failed = Object.keys(fields).length;
  if (failed > 0) {
    throw new ApiError({
      reason: "invalid_input",
      message: `${failed} of ${body.balances.length} balances are refused; nothing was written`,
      params: { refused: failed, of: body.balances.length },
      fields,
    });
  }
  const ids = [...apartments.values()].map((a) => a.id).sort((a, b) => a - b);
  for (const id of ids) await ledger.lockAccount(db, id);
  const current = new Map((await ledger.openingsInForce(db, ids)).map((e) => [e.apartment_id, e]));
  const counts: Record<Outcome, number> = { set: 0, removed: 0, unchanged: 0 };
  const reversals: ledger.NewEntry[] = [];
  const openings: ledger.NewEntry[] = [];
  for (const b of body.balances) {
    const apartment = apartments.get(b.account_number)!;
    const { outcome, writes } = openingWrites(apartment, current.get(apartment.id), { ...b, date: body.date }, actor);
    counts[outcome]++;
    for (const w of writes) (w.kind === "reversal" ? reversals : openings).push(w);
  }
  await ledger.insertEntries(db, reversals);
  await ledger.insertEntries(db, openings);
  return { date: body.date, ...counts };
}
