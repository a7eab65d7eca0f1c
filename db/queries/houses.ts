import { and, asc, count, eq, ilike, inArray, sql, type SQL } from "drizzle-orm";
import type { DbOrTx } from "../client";
import { apartment, house, type MeterService } from "../schema";

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
  lastBilledPeriod: sql<string | null>`(select max(i.period)::text from invoice i where i.house_id = ${house.id})`,
};

/** `%`, `_` and `\` in user text match themselves. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

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
      .leftJoin(apartment, eq(apartment.houseId, house.id))
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
    .leftJoin(apartment, eq(apartment.houseId, house.id))
    .where(and(eq(house.id, ref.houseId), inArray(house.workspaceId, ref.workspaceIds)))
    .groupBy(house.id);
  return row;
}

export interface ApartmentWithMetersRow {
  id: number;
  number: string;
  area: string;
  meters: {
    id: number;
    serialNumber: string;
    service: MeterService;
    installedOn: string | null;
    lastReading: { period: string; value: string } | null;
  }[];
}

/** Every apartment of a house with its meters and each meter's latest reading, in one query. */
export async function listHouseApartments(db: DbOrTx, houseId: number): Promise<ApartmentWithMetersRow[]> {
  const rows = await db.execute<{
    id: number;
    number: string;
    area: string;
    meter_id: number | null;
    serial_number: string | null;
    service: MeterService | null;
    installed_on: string | null;
    last_period: string | null;
    last_value: string | null;
  }>(sql`
    select a.id, a.number, a.area, m.id as meter_id, m.serial_number, m.service, m.installed_on,
           lr.period as last_period, lr.value as last_value
    from apartment a
    left join meter m on m.apartment_id = a.id
    left join lateral (
      select r.period, r.value from meter_reading r where r.meter_id = m.id order by r.period desc limit 1
    ) lr on true
    where a.house_id = ${houseId}
    order by lpad(substring(a.number from '^[0-9]+'), 20, '0') nulls last, a.number, a.id, m.service, m.id`);

  const apartments: ApartmentWithMetersRow[] = [];
  let current: ApartmentWithMetersRow | undefined;
  for (const row of rows) {
    if (current?.id !== row.id) {
      current = { id: row.id, number: row.number, area: row.area, meters: [] };
      apartments.push(current);
    }
    if (row.meter_id !== null) {
      current.meters.push({
        id: row.meter_id,
        serialNumber: row.serial_number!,
        service: row.service!,
        installedOn: row.installed_on,
        lastReading: row.last_period ? { period: row.last_period, value: row.last_value! } : null,
      });
    }
  }
  return apartments;
}
