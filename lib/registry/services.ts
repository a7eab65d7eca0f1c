import type { DbOrTx } from "../../db/client";
import * as services from "../../db/queries/services";
import { ApiError, fieldError, notFound } from "../api/errors";
import { pickWorkspace, type Scope } from "../auth/scope";
import { BASIS_UNIT } from "../constants";
import type { CreateServiceBody, UpdateServiceBody } from "../schemas/registry";
import type { Service, ServiceList } from "../schemas/responses";
import { toIso } from "./serialize";

function serializeService(row: services.ServiceRow): Service {
  return {
    id: row.id,
    workspace_id: row.workspaceId,
    code: row.code,
    name_ru: row.nameRu,
    name_en: row.nameEn,
    basis: row.basis,
    unit: BASIS_UNIT[row.basis],
    active: row.active,
    switched_off_houses: row.offHouseIds,
    billed: row.billed,
    created_at: toIso(row.createdAt),
  };
}

/** The services of the caller's workspaces, the seeded ones first. */
export async function listServices(db: DbOrTx, scope: Scope): Promise<ServiceList> {
  return { items: (await services.listServices(db, scope.workspaceIds)).map(serializeService) };
}

export async function getService(db: DbOrTx, scope: Scope, serviceId: number): Promise<Service> {
  const row = await services.findService(db, { workspaceIds: scope.workspaceIds, serviceId });
  if (!row) throw notFound("service", serviceId);
  return serializeService(row);
}

/** A new service of a workspace; inactive unless `active` says otherwise, until its first price. */
export async function createService(db: DbOrTx, scope: Scope, body: CreateServiceBody): Promise<Service> {
  const workspaceId = pickWorkspace(scope, body.workspace_id);
  if (workspaceId === null) throw notFound("workspace", body.workspace_id);
  const id = await services.insertService(db, {
    workspaceId,
    code: body.code,
    nameRu: body.name_ru,
    nameEn: body.name_en,
    basis: body.basis,
    active: body.active ?? false,
  });
  return getService(db, scope, id);
}

const billedMessage = (what: string) =>
  `the service is on billed invoices: it can be renamed or switched off, not ${what} (the invoices keep what it billed)`;

/**
 * Renames, re-bases, switches on or off (for the workspace or some houses). A service on a
 * billed invoice keeps its basis: its lines were made of that.
 */
export async function updateService(db: DbOrTx, scope: Scope, serviceId: number, body: UpdateServiceBody): Promise<Service> {
  return db.transaction(async (tx) => {
    const current = await services.findService(tx, { workspaceIds: scope.workspaceIds, serviceId }, { lock: true });
    if (!current) throw notFound("service", serviceId);
    if (body.basis !== undefined && body.basis !== current.basis) {
      if (current.billed) {
        throw new ApiError({
          reason: "service_billed",
          message: billedMessage("re-based"),
          fields: { basis: fieldError("service_billed", "cannot change: the service is on billed invoices") },
        });
      }
      if (body.basis === "meter" && current.code !== "cold_water" && current.code !== "hot_water") {
        const message = "a meter service bills the meters of its code: only cold_water and hot_water can have the basis meter";
        throw new ApiError({ reason: "invalid_input", message, fields: { basis: fieldError("meter_service_code", message) } });
      }
    }
    if (body.switched_off_houses) {
      const foreign = await services.foreignHouseIds(tx, current.workspaceId, body.switched_off_houses);
      if (foreign.length > 0) {
        const message = `house ${foreign[0]} is not a house of the service's workspace`;
        throw new ApiError({
          reason: "invalid_input",
          message,
          fields: { switched_off_houses: fieldError("unknown_house", message, { id: foreign[0] }) },
        });
      }
      await services.setServiceOffHouses(tx, serviceId, [...new Set(body.switched_off_houses)]);
    }
    await services.updateService(tx, serviceId, { nameRu: body.name_ru, nameEn: body.name_en, basis: body.basis, active: body.active });
    return getService(tx, scope, serviceId);
  });
}

/** Deletes a service with its prices; refused (409) once a billed invoice has a line of it. */
export async function deleteService(db: DbOrTx, scope: Scope, serviceId: number): Promise<void> {
  await db.transaction(async (tx) => {
    const current = await services.findService(tx, { workspaceIds: scope.workspaceIds, serviceId }, { lock: true });
    if (!current) throw notFound("service", serviceId);
    if (current.billed) throw new ApiError({ reason: "service_billed", message: billedMessage("deleted") });
    await services.deleteService(tx, serviceId);
  });
}
