import { and, eq, inArray, sql } from "drizzle-orm";
import type { MeterService } from "../../lib/constants";
import type { DbOrTx } from "../client";
import { apartment, invoice, meter, meterReading, meterVolume } from "../schema";

export interface MeterRef {
  workspaceIds: number[];
  meterId: number;
}

const inWorkspaces = (ref: MeterRef) => and(eq(meter.id, ref.meterId), inArray(meter.workspaceId, ref.workspaceIds));
const latestReading = (column: typeof meterReading.period | typeof meterReading.value) =>
  sql<
    string | null
  >`(select ${column} from ${meterReading} where ${meterReading.meterId} = ${meter.id} order by ${meterReading.period} desc limit 1)`;

export async function getMeterRow(db: DbOrTx, ref: MeterRef) {
  const [row] = await db
    .select({
      id: meter.id,
      apartmentId: meter.apartmentId,
      houseId: apartment.houseId,
      serialNumber: meter.serialNumber,
      service: meter.service,
      installedOn: meter.installedOn,
      verifiedUntil: meter.verifiedUntil,
      createdAt: meter.createdAt,
      lastPeriod: latestReading(meterReading.period),
      lastValue: latestReading(meterReading.value),
    })
    .from(meter)
    .innerJoin(apartment, eq(apartment.id, meter.apartmentId))
    .where(inWorkspaces(ref));
  return row;
}

/**
 * The meter with its house, if it is in one of the workspaces. With `lock`, the meter row stays
 * locked until the transaction ends, so that concurrent writes of its readings queue up.
 */
export async function findMeter(db: DbOrTx, ref: MeterRef, options: { lock?: boolean } = {}) {
  const query = db
    .select({ id: meter.id, houseId: apartment.houseId, apartmentId: meter.apartmentId, service: meter.service })
    .from(meter)
    .innerJoin(apartment, eq(apartment.id, meter.apartmentId))
    .where(inWorkspaces(ref));
  const [row] = options.lock ? await query.for("update", { of: meter }) : await query;
  return row as { id: number; houseId: number; apartmentId: number; service: MeterService } | undefined;
}

/** A meter as inserted; verifiedUntil: the last day of its verification interval, when known. */
type NewMeter = {
  apartmentId: number;
  workspaceId: number;
  serialNumber: string;
  service: MeterService;
  installedOn: string | null;
  verifiedUntil?: string | null;
};

export async function insertMeter(db: DbOrTx, values: NewMeter): Promise<number> {
  const [row] = await db.insert(meter).values(values).returning({ id: meter.id });
  return row.id;
}

export async function updateMeter(
  db: DbOrTx,
  meterId: number,
  values: { serialNumber?: string; service?: MeterService; installedOn?: string | null; verifiedUntil?: string | null },
): Promise<void> {
  await db.update(meter).set(values).where(eq(meter.id, meterId));
}

export async function hasReadings(db: DbOrTx, meterId: number): Promise<boolean> {
  const [row] = await db.select({ id: meterReading.id }).from(meterReading).where(eq(meterReading.meterId, meterId)).limit(1);
  return row !== undefined;
}

/**
 * Whether the meter may have been billed: its apartment has an invoice at or after its first
 * reading, or a volume of it other than 0 is on an invoice (an estimate needs no reading).
 */
export async function readingsBilled(db: DbOrTx, meter: { id: number; apartmentId: number }): Promise<boolean> {
  const [billed] = await db
    .select({ id: invoice.id })
    .from(invoice)
    .where(
      and(
        eq(invoice.apartmentId, meter.apartmentId),
        sql`(${invoice.period} >= (select min(${meterReading.period}) from ${meterReading} where ${meterReading.meterId} = ${meter.id})
             or exists (select 1 from ${meterVolume}
                        where ${meterVolume.meterId} = ${meter.id} and ${meterVolume.invoiceId} = ${invoice.id} and ${meterVolume.volume} <> 0))`,
      ),
    )
    .limit(1);
  return billed !== undefined;
}

export async function deleteMeter(db: DbOrTx, meterId: number): Promise<void> {
  await db.delete(meter).where(eq(meter.id, meterId));
}

/** Inserts meters in one statement; their ids and services, in the order given. */
export async function insertMeters(db: DbOrTx, rows: NewMeter[]) {
  return db.insert(meter).values(rows).returning({ id: meter.id, service: meter.service, apartmentId: meter.apartmentId });
}
