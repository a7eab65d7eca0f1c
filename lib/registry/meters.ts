import { and, eq, inArray, sql } from "drizzle-orm";
import type { DbOrTx } from "../../db/client";
import { apartment, invoice, meter, meterReading } from "../../db/schema";
import { ApiError, notFound } from "../api/errors";
import type { Scope } from "../auth/scope";
import type { CreateMeterBody, UpdateMeterBody } from "../schemas/registry";
import { findApartment } from "./apartments";
import { serializeReading, toIso } from "./serialize";

const inScope = (scope: Scope) => inArray(meter.workspaceId, scope.workspaceIds);

export async function createMeter(db: DbOrTx, scope: Scope, apartmentId: number, body: CreateMeterBody) {
  const owner = await findApartment(db, scope, apartmentId);
  const [row] = await db
    .insert(meter)
    .values({
      apartmentId,
      workspaceId: owner.workspaceId,
      serialNumber: body.serial_number,
      service: body.service,
      installedOn: body.installed_on ?? null,
    })
    .returning({ id: meter.id });
  return getMeter(db, scope, row.id);
}

export async function getMeter(db: DbOrTx, scope: Scope, meterId: number) {
  const [row] = await db
    .select({
      id: meter.id,
      apartmentId: meter.apartmentId,
      houseId: apartment.houseId,
      serialNumber: meter.serialNumber,
      service: meter.service,
      installedOn: meter.installedOn,
      createdAt: meter.createdAt,
      lastPeriod: sql<
        string | null
      >`(select r.period from ${meterReading} r where r.meter_id = ${meter.id} order by r.period desc limit 1)`,
      lastValue: sql<string | null>`(select r.value from ${meterReading} r where r.meter_id = ${meter.id} order by r.period desc limit 1)`,
    })
    .from(meter)
    .innerJoin(apartment, eq(apartment.id, meter.apartmentId))
    .where(and(eq(meter.id, meterId), inScope(scope)));
  if (!row) throw notFound("meter", meterId);
  return {
    id: row.id,
    apartment_id: row.apartmentId,
    house_id: row.houseId,
    serial_number: row.serialNumber,
    service: row.service,
    installed_on: row.installedOn,
    created_at: toIso(row.createdAt),
    last_reading: row.lastPeriod ? serializeReading({ period: row.lastPeriod, value: row.lastValue! }) : null,
  };
}

export async function updateMeter(db: DbOrTx, scope: Scope, meterId: number, body: UpdateMeterBody) {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select({ id: meter.id, service: meter.service })
      .from(meter)
      .where(and(eq(meter.id, meterId), inScope(scope)))
      .for("update");
    if (!current) throw notFound("meter", meterId);
    if (body.service && body.service !== current.service) {
      const [reading] = await tx.select({ id: meterReading.id }).from(meterReading).where(eq(meterReading.meterId, meterId)).limit(1);
      if (reading) {
        throw new ApiError({
          code: "conflict",
          message: "the service of a meter with readings cannot change: its readings were taken as that service; add a new meter instead",
          fields: { service: "cannot change once the meter has readings" },
        });
      }
    }
    await tx
      .update(meter)
      .set({ serialNumber: body.serial_number, service: body.service, installedOn: body.installed_on })
      .where(eq(meter.id, meterId));
    return getMeter(tx, scope, meterId);
  });
}

/**
 * Removes the meter and its readings. Refused (409) once a reading of it may have been billed:
 * its apartment has an invoice for a month at or after the meter's first reading.
 */
export async function deleteMeter(db: DbOrTx, scope: Scope, meterId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const [current] = await tx
      .select({ id: meter.id, apartmentId: meter.apartmentId })
      .from(meter)
      .where(and(eq(meter.id, meterId), inScope(scope)))
      .for("update");
    if (!current) throw notFound("meter", meterId);
    const [billed] = await tx
      .select({ id: invoice.id })
      .from(invoice)
      .where(
        and(
          eq(invoice.apartmentId, current.apartmentId),
          sql`${invoice.period} >= (select min(r.period) from ${meterReading} r where r.meter_id = ${meterId})`,
        ),
      )
      .limit(1);
    if (billed) {
      throw new ApiError({ code: "conflict", message: "the meter's readings have been billed, so it cannot be deleted" });
    }
    await tx.delete(meter).where(eq(meter.id, meterId));
  });
}

/**
 * The meter with its house, if the scope may see it. With `lock`, the meter row stays locked
 * until the transaction ends, so that concurrent writes of its readings queue up.
 */
export async function findMeter(db: DbOrTx, scope: Scope, meterId: number, options: { lock?: boolean } = {}) {
  const query = db
    .select({ id: meter.id, houseId: apartment.houseId })
    .from(meter)
    .innerJoin(apartment, eq(apartment.id, meter.apartmentId))
    .where(and(eq(meter.id, meterId), inScope(scope)));
  const [row] = options.lock ? await query.for("update", { of: meter }) : await query;
  if (!row) throw notFound("meter", meterId);
  return row;
}
