import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Houses";

export const listHouses = defineOperation({
  method: "GET",
  path: "/api/houses",
  operationId: "listHouses",
  tag,
  summary: "List houses",
  description: "Houses of the caller's workspaces, oldest first, with apartment count, total area and the last billed month.",
  auth: "any",
  roles: ROLES.read,
  query: registry.listHousesQuery,
  responses: { 200: { description: "a page of houses and the total", schema: out.housePage } },
});

export const createHouse = defineOperation({
  method: "POST",
  path: "/api/houses",
  operationId: "createHouse",
  tag,
  summary: "Create a house",
  auth: "any",
  roles: ROLES.manage,
  body: registry.createHouseBody,
  responses: { 201: { description: "the new house", schema: out.houseDetail } },
  errors: { 404: "workspace_id is not one of the caller's workspaces", 409: "the workspace already has a house at this address" },
});

export const getHouse = defineOperation({
  method: "GET",
  path: "/api/houses/{id}",
  operationId: "getHouse",
  tag,
  summary: "Get a house",
  description: "The house with its apartments, their meters and last readings, and the prices in force this month.",
  auth: "any",
  roles: ROLES.read,
  params: registry.idParams,
  responses: { 200: { description: "the house", schema: out.houseDetail } },
});

export const getHouseSummary = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/summary",
  operationId: "getHouseSummary",
  tag,
  summary: "Get a house without its apartments",
  description:
    "The house's address, apartment count, total area and last billed month, as in the list: what a page needs to name the house without loading its apartments.",
  auth: "any",
  roles: ROLES.read,
  params: registry.idParams,
  responses: { 200: { description: "the house", schema: out.houseSummary } },
});

export const updateHouse = defineOperation({
  method: "PATCH",
  path: "/api/houses/{id}",
  operationId: "updateHouse",
  tag,
  summary: "Change a house's address",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: registry.updateHouseBody,
  responses: { 200: { description: "the house as changed", schema: out.houseDetail } },
  errors: { 409: "another house of the workspace has this address" },
});

export const deleteHouse = defineOperation({
  method: "DELETE",
  path: "/api/houses/{id}",
  operationId: "deleteHouse",
  tag,
  summary: "Delete a house",
  description: "Removes the house with its apartments, meters, readings and house prices.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  responses: { 204: { description: "deleted" } },
  errors: { 409: "the house has been billed: its invoices keep it" },
});
