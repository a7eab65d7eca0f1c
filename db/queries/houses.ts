import { and, asc, count, eq, ilike, inArray, isNull, isNotNull, sql, type SQL } from "drizzle-orm";
import type { MeterService } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { apartment, house, invoice, meter, meterReading } from "../schema";
import { a, apartmentOrder, escapeLike } from "./fragments";

export interface HouseSummaryRow {
  id: number;
  workspaceId: number;
  address: string;
  createdAt: Date;
  apartmentsCount: number;
  /** m², 2 decimals */
  totalArea: string;
  /** the latest month with invoices, first day, or null */
  lastBilledPeriod: string | null;
}

const summaryColumns = {
  id: house.id,
  workspaceId: house.workspaceId,
  address: house.address,
  createdAt: house.createdAt,
  apartmentsCount: sql<number>`count(${apartment.id})::int`,
  totalArea: sql<string>`coalesce(sum(${apartment.area}), 0)::numeric(14,2)::text`,
  lastBilledPeriod: sql<string | null>`(select max(${invoice.period})::text from ${invoice} where ${invoice.houseId} = ${house.id})`,
};

/** The house's apartments in use: archived ones count in no total. */
const activeApartmentOf = () => and(eq(apartment.houseId, house.id), isNull(apartment.archivedAt));

export interface ListHousesOptions {
  workspaceIds: number[];
  limit: number;
  offset: number;
  /** part of the address, case-insensitive */
  q?: string;
}

export async function listHouses(db: DbOrTx, options: ListHousesOptions): Promise<{ items: HouseSummaryRow[]; total: number }> {
  const where: SQL | undefined = and(
    inArray(house.workspaceId, options.workspaceIds),
    options.q ? ilike(house.address, `%${escapeLike(options.q)}%`) : undefined,
  );
  const [items, [{ total }]] = await Promise.all([
    db
      .select(summaryColumns)
      .from(house)
      .leftJoin(apartment, activeApartmentOf())
      .where(where)
      .groupBy(house.id)
      .orderBy(asc(house.id))
      .limit(options.limit)
      .offset(options.offset),
    db.select({ total: count() }).from(house).where(where),
  ]);
  return { items, total };
}

export interface HouseRef {
  workspaceIds: number[];
  houseId: number;
}

export async function getHouseSummary(db: DbOrTx, ref: HouseRef): Promise<HouseSummaryRow | undefined> {
  const [row] = await db
    .select(summaryColumns)
    .from(house)
    .leftJoin(apartment, activeApartmentOf())
    .where(and(eq(house.id, ref.houseId), inArray(house.workspaceId, ref.workspaceIds)))
    .groupBy(house.id);
  return row;
}

/** The house's id and workspace, if it is in one of the workspaces. */
export async function findHouse(db: DbOrTx, ref: HouseRef): Promise<{ id: number; workspaceId: number; address: string } | undefined> {
  const [row] = await db
    .select({ id: house.id, workspaceId: house.workspaceId, address: house.address })
    .from(house)
    .where(and(eq(house.id, ref.houseId), inArray(house.workspaceId, ref.workspaceIds)));
  return row;
}

export async function insertHouse(db: DbOrTx, values: { workspaceId: number; address: string }): Promise<number> {
  const [row] = await db.insert(house).values(values).returning({ id: house.id });
  return row.id;
}

/** false when no such house is in the workspaces. */
export async function updateHouse(db: DbOrTx, ref: HouseRef, values: { address: string }): Promise<boolean> {
  const updated = await db
    .update(house)
    .set(values)
    .where(and(eq(house.id, ref.houseId), inArray(house.workspaceId, ref.workspaceIds)))
    .returning({ id: house.id });
  return updated.length > 0;
}

/** Deletes the house with everything in it (cascade); a billed one is refused by its invoices' RESTRICT. */
export async function deleteHouse(db: DbOrTx, ref: HouseRef): Promise<boolean> {
  const deleted = await db
    .delete(house)
    .where(and(eq(house.id, ref.houseId), inArray(house.workspaceId, ref.workspaceIds)))
    .returning({ id: house.id });
  return deleted.length > 0;
}

export interface ApartmentWithMetersRow {
  id: number;
  number: string;
  accountNumber: string;
  ownerName: string;
  area: string;
  residents: number;
  meters: {
    id: number;
    serialNumber: string;
    service: MeterService;
    installedOn: string | null;
    verifiedUntil: string | null;
    lastReading: { period: string; value: string } | null;
  }[];
}

/** Every apartment of a house with its meters and each meter's latest reading, in one query. */
export async function listHouseApartments(db: DbOrTx, houseId: number): Promise<ApartmentWithMetersRow[]> {
  const { rows } = await db.execute<{
    id: number;
    number: string;
    account_number: string;
    owner_name: string;
    area: string;
    residents: number;
    meter_id: number | null;
    serial_number: string | null;
    service: MeterService | null;
    installed_on: string | null;
    verified_until: string | null;
    last_period: string | null;
    last_value: string | null;
  }>(sql`
    select ${a.id} as id, ${a.number} as number, ${a.accountNumber} as account_number, ${a.ownerName} as owner_name, ${a.area} as area, ${a.residents} as residents, ${meter.id} as meter_id,
           ${meter.serialNumber} as serial_number, ${meter.service} as service, ${meter.installedOn} as installed_on,
           ${meter.verifiedUntil} as verified_until, lr.period as last_period, lr.value as last_value
    from ${apartment} ${a}
    left join ${meter} on ${meter.apartmentId} = ${a.id}
    left join lateral (
      select ${meterReading.period} as period, ${meterReading.value} as value from ${meterReading}
      where ${meterReading.meterId} = ${meter.id} order by ${meterReading.period} desc limit 1
    ) lr on true
    where ${a.houseId} = ${houseId} and ${a.archivedAt} is null
    order by ${apartmentOrder()}, ${meter.service}, ${meter.id}`);

  const apartments: ApartmentWithMetersRow[] = [];
  let current: ApartmentWithMetersRow | undefined;
  for (const row of rows) {
    if (current?.id !== row.id) {
      current = {
        id: row.id,
        number: row.number,
        accountNumber: row.account_number,
        ownerName: row.owner_name,
        area: row.area,
        residents: row.residents,
        meters: [],
      };
      apartments.push(current);
    }
    if (row.meter_id !== null) {
      current.meters.push({
        id: row.meter_id,
        serialNumber: row.serial_number!,
        service: row.service!,
        installedOn: row.installed_on,
        verifiedUntil: row.verified_until,
        lastReading: row.last_period ? { period: row.last_period, value: row.last_value! } : null,
      });
    }
  }
  return apartments;
}

/** The house's archived apartments, in apartment order. */
export async function listArchivedApartments(
  db: DbOrTx,
  houseId: number,
): Promise<{ id: number; number: string; accountNumber: string; archivedAt: Date }[]> {
  const rows = await db
    .select({ id: apartment.id, number: apartment.number, accountNumber: apartment.accountNumber, archivedAt: apartment.archivedAt })
    .from(apartment)
    .where(and(eq(apartment.houseId, houseId), isNotNull(apartment.archivedAt)))
    .orderBy(apartmentOrder(apartment));
  return rows as { id: number; number: string; accountNumber: string; archivedAt: Date }[];
}

export async function countHouses(db: DbOrTx): Promise<number> {
  const [{ n }] = await db.select({ n: count() }).from(house);
  return n;
}

/** Every house of the workspace (id and address), oldest first. */
export async function listWorkspaceHouses(db: DbOrTx, workspaceId: number): Promise<{ id: number; address: string }[]> {
  return db.select({ id: house.id, address: house.address }).from(house).where(eq(house.workspaceId, workspaceId)).orderBy(asc(house.id));
}
