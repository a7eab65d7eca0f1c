import { and, asc, eq, sql } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { keyRate, workspace } from "../schema";

// A workspace's billing settings (issue 16): the payment due day and the key rates penalties are
// counted from. Every statement names the workspace in its WHERE; the caller has checked it is
// one the request may touch.

export interface BillingSettingsRow {
  paymentDueDay: number;
  /** the days of the month residents may send readings (issue 18), inclusive */
  readingWindowFrom: number;
  readingWindowTo: number;
}

const settingsColumns = {
  paymentDueDay: workspace.paymentDueDay,
  readingWindowFrom: workspace.readingWindowFrom,
  readingWindowTo: workspace.readingWindowTo,
};

export async function getBillingSettings(db: DbOrTx, workspaceId: number): Promise<BillingSettingsRow | undefined> {
  const [row] = await db.select(settingsColumns).from(workspace).where(eq(workspace.id, workspaceId));
  return row;
}

/** The settings as changed; undefined when there is no such workspace. */
export async function setBillingSettings(
  db: DbOrTx,
  workspaceId: number,
  changes: Partial<BillingSettingsRow>,
): Promise<BillingSettingsRow | undefined> {
  const [row] = await db.update(workspace).set(changes).where(eq(workspace.id, workspaceId)).returning(settingsColumns);
  return row;
}

/** The workspace's key rates, oldest first. */
export async function listKeyRates(db: DbOrTx, workspaceId: number): Promise<{ validFrom: string; percent: string }[]> {
  return db
    .select({ validFrom: keyRate.validFrom, percent: keyRate.percent })
    .from(keyRate)
    .where(eq(keyRate.workspaceId, workspaceId))
    .orderBy(asc(keyRate.validFrom));
}

/** Sets the rate from the day: whether it was new ("created") or replaced one ("changed"). */
export async function putKeyRate(
  db: DbOrTx,
  values: { workspaceId: number; validFrom: string; percent: string },
): Promise<"created" | "changed"> {
  const [row] = await db
    .insert(keyRate)
    .values(values)
    .onConflictDoUpdate({ target: [keyRate.workspaceId, keyRate.validFrom], set: { percent: values.percent } })
    // xmax is 0 on a row this statement inserted, set on one it updated
    .returning({ inserted: sql<boolean>`(xmax = 0)` });
  return row.inserted ? "created" : "changed";
}

/** false when the workspace has no rate from that day. */
export async function deleteKeyRate(db: DbOrTx, ref: { workspaceId: number; validFrom: string }): Promise<boolean> {
  const rows = await db
    .delete(keyRate)
    .where(and(eq(keyRate.workspaceId, ref.workspaceId), eq(keyRate.validFrom, ref.validFrom)))
    .returning({ validFrom: keyRate.validFrom });
  return rows.length > 0;
}
