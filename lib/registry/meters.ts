import type { DbOrTx } from "../../db/client";
import { lockHouseMeterSet } from "../../db/queries/billing";
import * as meters from "../../db/queries/meters";
import { ApiError, fieldError, notFound } from "../api/errors";
import type { Scope } from "../auth/scope";
import type { CreateMeterBody, UpdateMeterBody } from "../schemas/registry";
import type { Meter } from "../schemas/responses";
import { findApartment } from "./apartments";
import { serializeReading, toIso } from "./serialize";

export async function createMeter(db: DbOrTx, scope: Scope, apartmentId: number, body: CreateMeterBody): Promise<Meter> {
  const owner = await findApartment(db, scope, apartmentId);
  const id = await meters.insertMeter(db, {
    apartmentId,
    workspaceId: owner.workspaceId,
    serialNumber: body.serial_number,
    service: body.service,
    installedOn: body.installed_on ?? null,
    verifiedUntil: body.verified_until ?? null,
  });
  return getMeter(db, scope, id);
}

export async function getMeter(db: DbOrTx, scope: Scope, meterId: number): Promise<Meter> {
  const row = await meters.getMeterRow(db, { workspaceIds: scope.workspaceIds, meterId });
  if (!row) throw notFound("meter", meterId);
  return {
    id: row.id,
    apartment_id: row.apartmentId,
    house_id: row.houseId,
    serial_number: row.serialNumber,
    service: row.service,
    installed_on: row.installedOn,
    verified_until: row.verifiedUntil,
    created_at: toIso(row.createdAt),
    last_reading: row.lastPeriod ? serializeReading({ period: row.lastPeriod, value: row.lastValue! }) : null,
  };
}

export async function updateMeter(db: DbOrTx, scope: Scope, meterId: number, body: UpdateMeterBody): Promise<Meter> {
  return db.transaction(async (tx) => {
    const current = await findMeter(tx, scope, meterId, { lock: true });
    if (body.service && body.service !== current.service && (await meters.hasReadings(tx, meterId))) {
      throw new ApiError({
        reason: "meter_service_locked",
        message: "the service of a meter with readings cannot change: its readings were taken as that service; add a new meter instead",
        fields: { service: fieldError("meter_service_locked", "cannot change once the meter has readings") },
      });
    }
    await meters.updateMeter(tx, meterId, {
      serialNumber: body.serial_number,
      service: body.service,
      installedOn: body.installed_on,
      verifiedUntil: body.verified_until,
    });
    return getMeter(tx, scope, meterId);
  });
}

/**
 * Removes the meter and its readings. Refused (409) once a reading of it may have been billed:
 * its apartment has an invoice for a month at or after the meter's first reading.
 */
export async function deleteMeter(db: DbOrTx, scope: Scope, meterId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await findMeter(tx, scope, meterId, { lock: true });
    // no billing chunk of the house is writing this meter's volume meanwhile (they have no foreign key)
    await lockHouseMeterSet(tx, current.houseId);
    if (await meters.readingsBilled(tx, current)) {
      throw new ApiError({ reason: "meter_readings_billed", message: "the meter's readings have been billed, so it cannot be deleted" });
    }
    await meters.deleteMeter(tx, meterId);
  });
}

/**
 * The meter with its house, if the scope may see it. With `lock`, the meter row stays locked
 * until the transaction ends, so that concurrent writes of its readings queue up.
 */
export async function findMeter(db: DbOrTx, scope: Scope, meterId: number, options: { lock?: boolean } = {}) {
  const row = await meters.findMeter(db, { workspaceIds: scope.workspaceIds, meterId }, options);
  if (!row) throw notFound("meter", meterId);
  return row;
}
