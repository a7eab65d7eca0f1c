import type { DbOrTx } from "../../db/client";
import * as settings from "../../db/queries/billing-settings";
import { ApiError, fieldError, notFound } from "../api/errors";
import { requireWorkspace, type Scope } from "../auth/scope";
import { penaltyRate } from "../ledger/penalties";
import type { UpdateBillingSettingsBody } from "../schemas/registry";
import type { BillingSettings, KeyRate, KeyRateList } from "../schemas/responses";

// The settings the ledger reads (issue 16): the day a month's bill is due and the key rates of
// the Bank of Russia penalties are counted from. Their changes are history through the tables'
// triggers (workspace, key_rate: drizzle/0016_ledger.sql).

export async function getBillingSettings(db: DbOrTx, scope: Scope, workspaceId: number): Promise<BillingSettings> {
  const id = requireWorkspace(scope, workspaceId);
  const row = await settings.getBillingSettings(db, id);
  if (!row) throw notFound("workspace", workspaceId);
  return serializeSettings(row);
}

/**
 * Changes what the body names. Charges already posted keep the due date they were posted with
 * (it is stored with each charge), so a new due day moves the due dates of months posted from
 * now on only. The reading window limits residents' readings only (lib/residents), never a
 * member's; its first day may not come after its last (422, with the stored day where the body
 * changes one end only).
 */
export async function updateBillingSettings(
  db: DbOrTx,
  scope: Scope,
  workspaceId: number,
  body: UpdateBillingSettingsBody,
): Promise<BillingSettings> {
  const id = requireWorkspace(scope, workspaceId);
  const stored = await settings.getBillingSettings(db, id);
  if (!stored) throw notFound("workspace", workspaceId);
  const from = body.reading_window_from ?? stored.readingWindowFrom;
  const to = body.reading_window_to ?? stored.readingWindowTo;
  if (from > to) {
    const field = body.reading_window_from !== undefined ? "reading_window_from" : "reading_window_to";
    throw new ApiError({
      reason: "invalid_input",
      message: `the reading window's first day ${from} comes after its last day ${to}`,
      fields: { [field]: fieldError("window_from_after_to", `the first day ${from} comes after the last day ${to}`, { from, to }) },
    });
  }
  const row = await settings.setBillingSettings(db, id, {
    paymentDueDay: body.payment_due_day,
    readingWindowFrom: body.reading_window_from,
    readingWindowTo: body.reading_window_to,
  });
  return serializeSettings(row!);
}

const serializeSettings = (row: settings.BillingSettingsRow): BillingSettings => ({
  payment_due_day: row.paymentDueDay,
  reading_window_from: row.readingWindowFrom,
  reading_window_to: row.readingWindowTo,
});

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
