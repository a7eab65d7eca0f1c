import type { DbOrTx } from "../../db/client";
import * as residents from "../../db/queries/residents";
import { ApiError, fieldError } from "../api/errors";
import type { Scope } from "../auth/scope";
import { findApartment } from "../registry/apartments";
import { toIso } from "../registry/serialize";
import type { CreateResidentBody, Resident, ResidentList, UpdateResidentBody } from "../schemas/residents";

// The residents of an apartment as its managers keep them (issue 18): phones that may sign in
// and send the apartment's readings from /my. Their changes are history through the table's
// triggers (entity `resident`, drizzle/0018_readings-intake.sql).

const serialize = (row: residents.ResidentRow): Resident => ({
  id: row.id,
  apartment_id: row.apartmentId,
  phone: row.phone,
  kind: row.kind,
  name: row.name,
  created_at: toIso(row.createdAt),
});

export async function listResidents(db: DbOrTx, scope: Scope, apartmentId: number): Promise<ResidentList> {
  await findApartment(db, scope, apartmentId);
  const rows = await residents.listApartmentResidents(db, apartmentId);
  return { apartment_id: apartmentId, items: rows.map(serialize) };
}

/** 409 resident_exists when the apartment already has this phone (in whatever form it was typed). */
export async function addResident(db: DbOrTx, scope: Scope, apartmentId: number, body: CreateResidentBody): Promise<Resident> {
  const found = await findApartment(db, scope, apartmentId);
  const row = await residents.insertResident(db, {
    apartmentId,
    workspaceId: found.workspaceId,
    phone: body.phone,
    kind: body.kind,
    name: body.name ?? "",
  });
  if (!row) {
    throw new ApiError({
      reason: "resident_exists",
      message: `apartment ${apartmentId} already has a resident with the phone ${body.phone}`,
      params: { phone: body.phone },
      fields: { phone: fieldError("resident_exists", "the apartment already has this phone", { phone: body.phone }) },
    });
  }
  return serialize(row);
}

export async function updateResident(
  db: DbOrTx,
  scope: Scope,
  ref: { apartmentId: number; residentId: number },
  body: UpdateResidentBody,
): Promise<Resident> {
  await findApartment(db, scope, ref.apartmentId);
  const row = await residents.updateResident(db, ref, { kind: body.kind, name: body.name });
  if (!row) throw residentNotFound(ref.residentId);
  return serialize(row);
}

export async function removeResident(db: DbOrTx, scope: Scope, ref: { apartmentId: number; residentId: number }): Promise<void> {
  await findApartment(db, scope, ref.apartmentId);
  if (!(await residents.deleteResident(db, ref))) throw residentNotFound(ref.residentId);
}

const residentNotFound = (id: number) =>
  new ApiError({ reason: "resident_not_found", message: `resident ${id} not found in this apartment`, params: { id } });
