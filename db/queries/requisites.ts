import { eq } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { workspace } from "../schema";

// The requisites of the organisation a workspace bills as (issue 17): columns of the workspace.
// Every statement names the workspace in its WHERE; the caller has checked it is one the request
// may touch.

const columns = {
  orgName: workspace.orgName,
  inn: workspace.inn,
  kpp: workspace.kpp,
  orgAddress: workspace.orgAddress,
  orgPhone: workspace.orgPhone,
  orgEmail: workspace.orgEmail,
  orgSite: workspace.orgSite,
  settlementAccount: workspace.settlementAccount,
  bankName: workspace.bankName,
  bic: workspace.bic,
  correspondentAccount: workspace.correspondentAccount,
};

export type RequisitesRow = { [K in keyof typeof columns]: string };

/** undefined when there is no such workspace. `forUpdate` holds the row until the transaction ends. */
export async function getRequisites(db: DbOrTx, workspaceId: number, forUpdate = false): Promise<RequisitesRow | undefined> {
  const query = db.select(columns).from(workspace).where(eq(workspace.id, workspaceId));
  const [row] = forUpdate ? await query.for("update") : await query;
  return row;
}

/** false when there is no such workspace. Values equal to the stored ones leave no history (the trigger skips them). */
export async function setRequisites(db: DbOrTx, workspaceId: number, values: Partial<RequisitesRow>): Promise<boolean> {
  const rows = await db.update(workspace).set(values).where(eq(workspace.id, workspaceId)).returning({ id: workspace.id });
  return rows.length > 0;
}
