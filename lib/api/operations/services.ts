import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Services";

export const listServices = defineOperation({
  method: "GET",
  path: "/api/services",
  operationId: "listServices",
  tag,
  summary: "List services",
  description:
    "What the caller's workspaces bill for: each service's code, names, basis (what a line's quantity is made of) and unit, " +
    "whether it is active and the houses it is switched off for.",
  auth: "any",
  roles: ROLES.read,
  responses: { 200: { description: "the services", schema: out.serviceList } },
});

export const createService = defineOperation({
  method: "POST",
  path: "/api/services",
  operationId: "createService",
  tag,
  summary: "Add a service",
  description:
    "A new service of a workspace. It is inactive unless `active` is true, and its first price (POST /api/tariffs) switches it on. " +
    "A meter service's code is the service of the meters it bills (cold_water or hot_water).",
  auth: "any",
  roles: ROLES.manage,
  body: registry.createServiceBody,
  responses: { 201: { description: "the new service", schema: out.service } },
  errors: { 404: "workspace_id is not one of the caller's workspaces", 409: "the workspace already has a service with this code" },
});

export const getService = defineOperation({
  method: "GET",
  path: "/api/services/{id}",
  operationId: "getService",
  tag,
  summary: "Get a service",
  auth: "any",
  roles: ROLES.read,
  params: registry.idParams,
  responses: { 200: { description: "the service", schema: out.service } },
});

export const updateService = defineOperation({
  method: "PATCH",
  path: "/api/services/{id}",
  operationId: "updateService",
  tag,
  summary: "Rename, re-base or switch a service on or off",
  description:
    "Names at any time; the basis only while no billed invoice has a line of the service; `active` for every house of the " +
    "workspace, `switched_off_houses` for some. The next runs bill accordingly; invoices already made do not change.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: registry.updateServiceBody,
  responses: { 200: { description: "the service as changed", schema: out.service } },
  errors: { 409: "a new basis for a service on billed invoices" },
});

export const deleteService = defineOperation({
  method: "DELETE",
  path: "/api/services/{id}",
  operationId: "deleteService",
  tag,
  summary: "Delete a service",
  description: "Removes the service with its prices and house switches. A service on billed invoices can only be switched off.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  responses: { 204: { description: "deleted" } },
  errors: { 409: "the service is on billed invoices" },
});
