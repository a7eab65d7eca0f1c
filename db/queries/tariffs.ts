import { and, asc, desc, eq, inArray, isNull, or, sql } from "drizzle-orm";
import type { ServiceBasis } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { billingRun, billingRunPrice, service, tariff } from "../schema";
import { hasLines, reachesClosedMonth, tariffsInForce } from "./fragments";

export type TariffRow = {
  id: number;
  workspaceId: number;
  houseId: number | null;
  serviceId: number;
  /** the service's code and basis (its unit) */
  service: string;
  basis: ServiceBasis;
  /** roubles per unit, 4 decimals */
  price: string;
  /** first day of the month */
  validFrom: string;
  createdAt: string;
  /** an invoice line was billed at this price */
  billed: boolean;
  /** it reaches a posted month: it can no longer be corrected or deleted */
  closed: boolean;
};

const columns = {
  id: tariff.id,
  workspaceId: tariff.workspaceId,
  houseId: tariff.houseId,
  serviceId: tariff.serviceId,
  service: service.code,
  basis: service.basis,
  price: tariff.price,
  validFrom: tariff.validFrom,
  createdAt: sql<string>`${tariff.createdAt}`,
  billed: sql<boolean>`${hasLines(tariff.serviceId, tariff.id)}`,
  closed: sql<boolean>`${reachesClosedMonth(tariff.workspaceId, tariff.houseId, tariff.validFrom)}`,
};

export interface TariffsInForceOptions {
  /** the workspace whose prices count (a house of another workspace gets none of its own) */
  workspaceId: number;
  houseId: number;
  /** first day of the month */
  period: string;
}

/** The price in force for each service of a house in a month (fragments.tariffsInForce), in the catalogue's order. */
export async function getTariffsInForce(db: DbOrTx, options: TariffsInForceOptions): Promise<TariffRow[]> {
  const { rows } = await db.execute<TariffRow>(sql`
    select p.id, p.workspace_id as "workspaceId", p.tariff_house_id as "houseId", p.service_id as "serviceId",
           ${service.code} as service, ${service.basis} as basis, p.price, p.valid_from as "validFrom", p.created_at as "createdAt",
           ${hasLines(sql`p.service_id`, sql`p.id`)} as billed,
           ${reachesClosedMonth(sql`p.workspace_id`, sql`p.tariff_house_id`, sql`p.valid_from`)} as closed
    from (${tariffsInForce(sql`select ${options.houseId}::int, ${options.workspaceId}::int`, options.period)}) p
    join ${service} on ${service.id} = p.service_id
    order by p.service_id`);
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
    .innerJoin(service, eq(service.id, tariff.serviceId))
    .where(where)
    .orderBy(asc(tariff.serviceId), sql`${tariff.houseId} nulls first`, desc(tariff.validFrom));
}

type NewTariff = { workspaceId: number; houseId: number | null; serviceId: number; price: string; validFrom: string };

export async function insertTariff(db: DbOrTx, values: NewTariff): Promise<TariffRow> {
  const [{ id }] = await db.insert(tariff).values(values).returning({ id: tariff.id });
  const [row] = await db.select(columns).from(tariff).innerJoin(service, eq(service.id, tariff.serviceId)).where(eq(tariff.id, id));
  return row;
}

/** Inserts prices given by service code (the demo seed, benches): each code must be a service of the row's workspace. */
export async function insertTariffs(db: DbOrTx, rows: (Omit<NewTariff, "serviceId"> & { service: string })[]): Promise<void> {
  if (rows.length === 0) return;
  await db.execute(sql`
    insert into ${tariff} (workspace_id, house_id, service_id, price, valid_from)
    select r.workspace_id, r.house_id, ${service.id}, r.price, r.valid_from
    from jsonb_to_recordset(${JSON.stringify(
      rows.map((r) => ({ workspace_id: r.workspaceId, house_id: r.houseId, service: r.service, price: r.price, valid_from: r.validFrom })),
    )}::jsonb) r(workspace_id int, house_id int, service text, price numeric, valid_from date)
    join ${service} on ${service.workspaceId} = r.workspace_id and ${service.code} = r.service`);
}

/** The price, if it is in one of the workspaces, locked until the transaction ends. */
export async function lockTariff(db: DbOrTx, ref: { workspaceIds: number[]; tariffId: number }): Promise<TariffRow | undefined> {
  const [row] = await db
    .select(columns)
    .from(tariff)
    .innerJoin(service, eq(service.id, tariff.serviceId))
    .where(and(eq(tariff.id, ref.tariffId), inArray(tariff.workspaceId, ref.workspaceIds)))
    .for("update", { of: tariff });
  return row;
}

/** How many runs under way have fixed the price (their invoices would be billed at it). */
export async function runsBillingAt(db: DbOrTx, tariffId: number): Promise<number> {
  const {
    rows: [row],
  } = await db.execute<{ runs: number }>(sql`
    select count(*)::int as runs from ${billingRunPrice} join ${billingRun} on ${billingRun.id} = ${billingRunPrice.runId}
    where ${billingRunPrice.tariffId} = ${tariffId} and ${billingRun.status} in ('queued', 'running')`);
  return row.runs;
}

export async function updateTariff(db: DbOrTx, tariffId: number, values: { price?: string; validFrom?: string }): Promise<TariffRow> {
  await db.update(tariff).set(values).where(eq(tariff.id, tariffId));
  const [row] = await db.select(columns).from(tariff).innerJoin(service, eq(service.id, tariff.serviceId)).where(eq(tariff.id, tariffId));
  return row;
}

export async function deleteTariff(db: DbOrTx, tariffId: number): Promise<void> {
  await db.delete(tariff).where(eq(tariff.id, tariffId));
}
