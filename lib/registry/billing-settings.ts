import type { DbOrTx } from "../../db/client";
import * as settings from "../../db/queries/billing-settings";
import { notFound } from "../api/errors";
import { requireWorkspace, type Scope } from "../auth/scope";
import { penaltyRate } from "../ledger/penalties";
import type { BillingSettings, KeyRate, KeyRateList } from "../schemas/responses";

// The settings the ledger reads (issue 16): the day a month's bill is due and the key rates of
// the Bank of Russia penalties are counted from. Their changes are history through the tables'
// triggers (workspace, key_rate: drizzle/0016_ledger.sql).

export async function getBillingSettings(db: DbOrTx, scope: Scope, workspaceId: number): Promise<BillingSettings> {
  const id = requireWorkspace(scope, workspaceId);
  const day = await settings.getPaymentDueDay(db, id);
  if (day === undefined) throw notFound("workspace", workspaceId);
  return { payment_due_day: day };
}

/**
 * Sets the due day. Charges already posted keep the due date they were posted with (it is stored
 * with each charge), so this moves the due dates of months posted from now on only.
 */
export async function updateBillingSettings(
  db: DbOrTx,
  scope: Scope,
  workspaceId: number,
  paymentDueDay: number,
): Promise<BillingSettings> {
  const id = requireWorkspace(scope, workspaceId);
  if (!(await settings.setPaymentDueDay(db, id, paymentDueDay))) throw notFound("workspace", workspaceId);
  return { payment_due_day: paymentDueDay };
}

/** Every rate oldest first, each with the rate penalties use on its first day (the cap applied). */
export async function listKeyRates(db: DbOrTx, scope: Scope, workspaceId: number): Promise<KeyRateList> {
  const rows = await settings.listKeyRates(db, requireWorkspace(scope, workspaceId));
  return { items: serializeKeyRates(rows) };
}

export interface PutKeyRateOptions {
  workspaceId: number;
  validFrom: string;
  /** % a year, 2 decimals */
  percent: string;
}

/** Creates the rate from the day, or changes the one there is. */
export async function putKeyRate(
  db: DbOrTx,
  scope: Scope,
  { workspaceId, validFrom, percent }: PutKeyRateOptions,
): Promise<KeyRate & { status: "created" | "changed" }> {
  const id = requireWorkspace(scope, workspaceId);
  const status = await settings.putKeyRate(db, { workspaceId: id, validFrom, percent });
  const rate = serializeKeyRates(await settings.listKeyRates(db, id)).find((r) => r.valid_from === validFrom)!;
  return { ...rate, status };
}

export async function deleteKeyRate(db: DbOrTx, scope: Scope, workspaceId: number, validFrom: string): Promise<void> {
  const id = requireWorkspace(scope, workspaceId);
  if (!(await settings.deleteKeyRate(db, { workspaceId: id, validFrom }))) throw notFound("key rate", validFrom);
}

function serializeKeyRates(rows: { validFrom: string; percent: string }[]): KeyRate[] {
  const rates = rows.map((r) => ({ valid_from: r.validFrom, percent: r.percent }));
  return rates.map((r) => ({ ...r, penalty_percent: penaltyRate(rates, r.valid_from).toFixed(2) }));
}
