import { and, asc, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { TariffService } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { billingRun, billingRunPrice, invoiceLine, tariff } from "../schema";
import { tariffsInForce } from "./fragments";

export type TariffRow = {
  id: number;
  workspaceId: number;
  houseId: number | null;
  service: TariffService;
  /** roubles per unit, 4 decimals */
  price: string;
  /** first day of the month */
  validFrom: string;
  createdAt: string;
};

const columns = {
  id: tariff.id,
  workspaceId: tariff.workspaceId,
  houseId: tariff.houseId,
  service: tariff.service,
  price: tariff.price,
  validFrom: tariff.validFrom,
  createdAt: sql<string>`${tariff.createdAt}`,
};

export interface TariffsInForceOptions {
  /** the workspace whose prices count (a house of another workspace gets none of its own) */
  workspaceId: number;
  houseId: number;
  /** first day of the month */
  period: string;
}

/** The price in force for each service of a house in a month (fragments.tariffsInForce). */
export async function getTariffsInForce(db: DbOrTx, options: TariffsInForceOptions): Promise<TariffRow[]> {
  const { rows } = await db.execute<TariffRow>(sql`
    select id, workspace_id as "workspaceId", tariff_house_id as "houseId", service, price, valid_from as "validFrom", created_at as "createdAt"
    from (${tariffsInForce(sql`select ${options.houseId}::int, ${options.workspaceId}::int`, options.period)}) p
    order by service`);
  return [...rows];
}

export type TariffHistoryOptions = { workspaceIds: number[] } | { workspaceId: number; houseId: number };

/**
 * Price history, newest first within each service: every price of the workspaces, or a house's
 * own prices with its workspace's defaults.
 */
export async function listTariffs(db: DbOrTx, options: TariffHistoryOptions): Promise<TariffRow[]> {
  const where =
    "houseId" in options
      ? and(eq(tariff.workspaceId, options.workspaceId), or(eq(tariff.houseId, options.houseId), isNull(tariff.houseId)))
      : inArray(tariff.workspaceId, options.workspaceIds);
  return db
    .select(columns)
    .from(tariff)
    .where(where)
    .orderBy(asc(tariff.service), sql`${tariff.houseId} nulls first`, desc(tariff.validFrom));
}

type NewTariff = { workspaceId: number; houseId: number | null; service: TariffService; price: string; validFrom: string };

export async function insertTariff(db: DbOrTx, values: NewTariff): Promise<TariffRow> {
  const [row] = await db.insert(tariff).values(values).returning(columns);
  return row;
}

export async function insertTariffs(db: DbOrTx, rows: NewTariff[]): Promise<void> {
  await db.insert(tariff).values(rows);
}

/** The price, if it is in one of the workspaces, locked until the transaction ends. */
export async function lockTariff(db: DbOrTx, ref: { workspaceIds: number[]; tariffId: number }): Promise<TariffRow | undefined> {
  const [row] = await db
    .select(columns)
    .from(tariff)
    .where(and(eq(tariff.id, ref.tariffId), inArray(tariff.workspaceId, ref.workspaceIds)))
    .for("update");
  return row;
}

/** What uses the price: invoices billed with it, and runs under way that have fixed it. */
export async function tariffUse(db: DbOrTx, tariffId: number): Promise<{ invoices: number; runs: number }> {
  const {
    rows: [row],
  } = await db.execute<{ invoices: number; runs: number }>(sql`
    select (select count(distinct ${invoiceLine.invoiceId})::int from ${invoiceLine} where ${invoiceLine.tariffId} = ${tariffId}) as invoices,
           (select count(*)::int from ${billingRunPrice} join ${billingRun} on ${billingRun.id} = ${billingRunPrice.runId}
             where ${billingRunPrice.tariffId} = ${tariffId} and ${billingRun.status} in ('queued', 'running')) as runs`);
  return row;
}

export async function updateTariff(db: DbOrTx, tariffId: number, values: { price?: string; validFrom?: string }): Promise<TariffRow> {
  const [row] = await db.update(tariff).set(values).where(eq(tariff.id, tariffId)).returning(columns);
  return row;
}

export async function deleteTariff(db: DbOrTx, tariffId: number): Promise<void> {
  await db.delete(tariff).where(eq(tariff.id, tariffId));
}
