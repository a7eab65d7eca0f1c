import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { MeterService } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { apartment, house, meter, meterReading } from "../schema";

export interface ApartmentRef {
  workspaceIds: number[];
  apartmentId: number;
}

/** Apartments in the workspaces: the filter sits in the WHERE of every statement. */
const inWorkspaces = (workspaceIds: number[]) =>
  inArray(apartment.houseId, sql`(select ${house.id} from ${house} where ${inArray(house.workspaceId, workspaceIds)})`);

/** The apartment with its house's workspace, if it is in one of the workspaces. */
export async function findApartment(db: DbOrTx, ref: ApartmentRef) {
  const [row] = await db
    .select({ id: apartment.id, houseId: apartment.houseId, workspaceId: house.workspaceId })
    .from(apartment)
    .innerJoin(house, eq(house.id, apartment.houseId))
    .where(and(eq(apartment.id, ref.apartmentId), inArray(house.workspaceId, ref.workspaceIds)));
  return row as { id: number; houseId: number; workspaceId: number } | undefined;
}

export async function getApartmentRow(db: DbOrTx, ref: ApartmentRef) {
  const [row] = await db
    .select({
      id: apartment.id,
      houseId: apartment.houseId,
      number: apartment.number,
      accountNumber: apartment.accountNumber,
      ownerName: apartment.ownerName,
      area: apartment.area,
      residents: apartment.residents,
      archivedAt: apartment.archivedAt,
      createdAt: apartment.createdAt,
    })
    .from(apartment)
    .where(and(eq(apartment.id, ref.apartmentId), inWorkspaces(ref.workspaceIds)));
  return row;
}

export async function listApartmentMeters(
  db: DbOrTx,
  apartmentId: number,
): Promise<{ id: number; serialNumber: string; service: MeterService; installedOn: string | null; verifiedUntil: string | null }[]> {
  return db
    .select({
      id: meter.id,
      serialNumber: meter.serialNumber,
      service: meter.service,
      installedOn: meter.installedOn,
      verifiedUntil: meter.verifiedUntil,
    })
    .from(meter)
    .where(eq(meter.apartmentId, apartmentId))
    .orderBy(asc(meter.service), asc(meter.id));
}

/** Each meter's latest `perMeter` readings, newest first. */
export async function recentReadings(
  db: DbOrTx,
  meterIds: number[],
  perMeter: number,
): Promise<{ meter_id: number; period: string; value: string }[]> {
  if (meterIds.length === 0) return [];
  const { rows } = await db.execute<{ meter_id: number; period: string; value: string }>(sql`
    select meter_id, period, value from (
      select ${meterReading.meterId} as meter_id, ${meterReading.period} as period, ${meterReading.value} as value,
             row_number() over (partition by ${meterReading.meterId} order by ${meterReading.period} desc) as n
      from ${meterReading}
      where ${inArray(meterReading.meterId, meterIds)}
    ) recent
    where n <= ${perMeter}
    order by meter_id, period desc`);
  return [...rows];
}

export async function insertApartment(
  db: DbOrTx,
  values: { houseId: number; number: string; area: string; residents?: number; accountNumber?: string; ownerName?: string },
): Promise<number> {
  const [row] = await db.insert(apartment).values(values).returning({ id: apartment.id });
  return row.id;
}

/** false when no such apartment is in the workspaces. `archived` sets (once) or clears archived_at. */
export async function updateApartment(
  db: DbOrTx,
  ref: ApartmentRef,
  {
    archived,
    ...values
  }: { number?: string; area?: string; residents?: number; accountNumber?: string; ownerName?: string; archived?: boolean },
): Promise<boolean> {
  const updated = await db
    .update(apartment)
    .set({
      ...values,
      ...(archived === undefined ? {} : { archivedAt: archived ? sql`coalesce(${apartment.archivedAt}, now())` : null }),
    })
    .where(and(eq(apartment.id, ref.apartmentId), inWorkspaces(ref.workspaceIds)))
    .returning({ id: apartment.id });
  return updated.length > 0;
}

/** Deletes the apartment with its meters and readings; a billed one is refused by its invoices' RESTRICT. */
export async function deleteApartment(db: DbOrTx, ref: ApartmentRef): Promise<boolean> {
  const deleted = await db
    .delete(apartment)
    .where(and(eq(apartment.id, ref.apartmentId), inWorkspaces(ref.workspaceIds)))
    .returning({ id: apartment.id });
  return deleted.length > 0;
}

/** Inserts apartments in one statement; their ids and numbers, in the order given. */
export async function insertApartments(
  db: DbOrTx,
  rows: { houseId: number; number: string; area: string; residents?: number; accountNumber?: string; ownerName?: string }[],
) {
  return db.insert(apartment).values(rows).returning({ id: apartment.id, number: apartment.number });
}
