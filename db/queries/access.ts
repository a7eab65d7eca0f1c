import { sql } from "drizzle-orm";
import type { DbOrTx } from "../client";

// Who may touch what: the request's writer named for the history, and which workspace a resource named by a 404 lies in: the route wrapper asks, when an operation
// the caller's role does not allow everywhere found nothing, whether the resource is in one of
// the caller's workspaces after all (then the answer is 403, not 404: lib/api/route.ts).

const OWNER: Record<string, (id: number) => ReturnType<typeof sql>> = {
  house_not_found: (id) => sql`select workspace_id from house where id = ${id}`,
  apartment_not_found: (id) => sql`select h.workspace_id from apartment a join house h on h.id = a.house_id where a.id = ${id}`,
  meter_not_found: (id) => sql`select workspace_id from meter where id = ${id}`,
  billing_run_not_found: (id) => sql`select workspace_id from billing_run where id = ${id}`,
  service_not_found: (id) => sql`select workspace_id from service where id = ${id}`,
  tariff_not_found: (id) => sql`select workspace_id from tariff where id = ${id}`,
  api_key_not_found: (id) => sql`select workspace_id from api_key where id = ${id}`,
  workspace_not_found: (id) => sql`select id as workspace_id from workspace where id = ${id}`,
  payment_import_not_found: (id) => sql`select workspace_id from payment_import where id = ${id}`,
  reading_import_not_found: (id) => sql`select workspace_id from reading_import where id = ${id}`,
  payment_not_found: (id) => sql`select workspace_id from ledger_entry where id = ${id} and kind = 'payment'`,
  receipt_batch_not_found: (id) => sql`select workspace_id from receipt_batch where id = ${id}`,
  resident_not_found: (id) => sql`select workspace_id from apartment_resident where id = ${id}`,
  member_not_found: (id) => sql`select ${id}::int as workspace_id`,
};

/** The workspace of the resource a not-found reason and id name; null when unknown or gone. */
export async function resourceWorkspace(db: DbOrTx, reason: string, id: string | number | undefined): Promise<number | null> {
  const query = OWNER[reason];
  const numeric = typeof id === "number" ? id : Number(id);
  if (!query || !Number.isSafeInteger(numeric) || numeric < 1 || numeric > 2147483647) return null;
  const { rows } = await db.execute<{ workspace_id: number }>(query(numeric));
  return rows[0]?.workspace_id ?? null;
}

/**
 * Names who is writing for the rest of the transaction (kp.actor, JSON): the history's
 * triggers record it with every change (drizzle/0015_roles-history.sql).
 */
export async function setActor(tx: DbOrTx, actorJson: string): Promise<void> {
  await tx.execute(sql`select set_config('kp.actor', ${actorJson}, true)`);
}
