import type { DbOrTx } from "../../db/client";
import * as apartments from "../../db/queries/apartments";
import { notFound } from "../api/errors";
import type { Scope } from "../auth/scope";
import type { CreateApartmentBody, UpdateApartmentBody } from "../schemas/registry";
import type { Apartment } from "../schemas/responses";
import { findHouse } from "./houses";
import { serializeReading, toIso } from "./serialize";

const READINGS_PER_METER = 12;

export async function createApartment(db: DbOrTx, scope: Scope, houseId: number, body: CreateApartmentBody): Promise<Apartment> {
  await findHouse(db, scope, houseId);
  const id = await apartments.insertApartment(db, {
    houseId,
    number: body.number,
    area: body.area,
    residents: body.residents,
    // absent: the database gives the apartment's id, zero-padded (drizzle/0016_ledger.sql)
    accountNumber: body.account_number,
    ownerName: body.owner_name,
  });
  return getApartment(db, scope, id);
}

/** The apartment with its meters and each meter's last 12 readings, newest first. */
export async function getApartment(db: DbOrTx, scope: Scope, apartmentId: number): Promise<Apartment> {
  const row = await apartments.getApartmentRow(db, { workspaceIds: scope.workspaceIds, apartmentId });
  if (!row) throw notFound("apartment", apartmentId);
  const meters = await apartments.listApartmentMeters(db, apartmentId);
  const readings = await apartments.recentReadings(
    db,
    meters.map((m) => m.id),
    READINGS_PER_METER,
  );
  return {
    id: row.id,
    house_id: row.houseId,
    number: row.number,
    account_number: row.accountNumber,
    owner_name: row.ownerName,
    area: row.area,
    residents: row.residents,
    archived_at: row.archivedAt ? toIso(row.archivedAt) : null,
    created_at: toIso(row.createdAt),
    meters: meters.map((m) => ({
      id: m.id,
      serial_number: m.serialNumber,
      service: m.service,
      installed_on: m.installedOn,
      verified_until: m.verifiedUntil,
      readings: readings.filter((r) => r.meter_id === m.id).map(serializeReading),
    })),
  };
}

export async function updateApartment(db: DbOrTx, scope: Scope, apartmentId: number, body: UpdateApartmentBody): Promise<Apartment> {
  const updated = await apartments.updateApartment(
    db,
    { workspaceIds: scope.workspaceIds, apartmentId },
    {
      number: body.number,
      area: body.area,
      residents: body.residents,
      accountNumber: body.account_number,
      ownerName: body.owner_name,
      // Archiving again keeps the first date; bringing back clears it.
      ...(body.archived === undefined ? {} : { archived: body.archived }),
    },
  );
  if (!updated) throw notFound("apartment", apartmentId);
  return getApartment(db, scope, apartmentId);
}

/**
 * Removes the apartment with its meters and readings; 409 once it has been billed (its invoices
 * keep it): such an apartment is archived instead (updateApartment with archived: true).
 */
export async function deleteApartment(db: DbOrTx, scope: Scope, apartmentId: number): Promise<void> {
  const deleted = await apartments.deleteApartment(db, { workspaceIds: scope.workspaceIds, apartmentId });
  if (!deleted) throw notFound("apartment", apartmentId);
}

/** The apartment with its house's workspace, if the scope may see it. */
export async function findApartment(db: DbOrTx, scope: Scope, apartmentId: number) {
  const row = await apartments.findApartment(db, { workspaceIds: scope.workspaceIds, apartmentId });
  if (!row) throw notFound("apartment", apartmentId);
  return row;
}
