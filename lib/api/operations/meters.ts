import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Meters";

export const createMeter = defineOperation({
  method: "POST",
  path: "/api/apartments/{id}/meters",
  operationId: "createMeter",
  tag,
  summary: "Install a meter in an apartment",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: registry.createMeterBody,
  responses: { 201: { description: "the new meter", schema: out.meter } },
  errors: { 409: "the workspace already has a meter with this serial number" },
});

export const getMeter = defineOperation({
  method: "GET",
  path: "/api/meters/{id}",
  operationId: "getMeter",
  tag,
  summary: "Get a meter",
  description: "The meter with its last reading.",
  auth: "any",
  roles: ROLES.read,
  params: registry.idParams,
  responses: { 200: { description: "the meter", schema: out.meter } },
});

export const updateMeter = defineOperation({
  method: "PATCH",
  path: "/api/meters/{id}",
  operationId: "updateMeter",
  tag,
  summary: "Change a meter",
  description: "Serial number and installation date at any time; the service only while the meter has no readings.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: registry.updateMeterBody,
  responses: { 200: { description: "the meter as changed", schema: out.meter } },
  errors: { 409: "the serial number is taken, or the service of a meter with readings was changed" },
});

export const deleteMeter = defineOperation({
  method: "DELETE",
  path: "/api/meters/{id}",
  operationId: "deleteMeter",
  tag,
  summary: "Delete a meter",
  description: "Removes the meter and its readings.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  responses: { 204: { description: "deleted" } },
  errors: { 409: "the meter's readings have been billed" },
});
