import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Apartments";

export const createApartment = defineOperation({
  method: "POST",
  path: "/api/houses/{id}/apartments",
  operationId: "createApartment",
  tag,
  summary: "Add an apartment to a house",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: registry.createApartmentBody,
  responses: { 201: { description: "the new apartment", schema: out.apartment } },
  errors: { 409: "the house already has an apartment with this number" },
});

export const getApartment = defineOperation({
  method: "GET",
  path: "/api/apartments/{id}",
  operationId: "getApartment",
  tag,
  summary: "Get an apartment",
  description: "The apartment with its meters and each meter's last 12 readings.",
  auth: "any",
  roles: ROLES.read,
  params: registry.idParams,
  responses: { 200: { description: "the apartment", schema: out.apartment } },
});

export const updateApartment = defineOperation({
  method: "PATCH",
  path: "/api/apartments/{id}",
  operationId: "updateApartment",
  tag,
  summary: "Change an apartment's number or area",
  description: "Invoices already made keep the area they were billed with.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: registry.updateApartmentBody,
  responses: { 200: { description: "the apartment as changed", schema: out.apartment } },
  errors: { 409: "another apartment of the house has this number" },
});

export const deleteApartment = defineOperation({
  method: "DELETE",
  path: "/api/apartments/{id}",
  operationId: "deleteApartment",
  tag,
  summary: "Delete an apartment",
  description: "Removes the apartment with its meters and readings.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  responses: { 204: { description: "deleted" } },
  errors: { 409: "the apartment has been billed: its invoices keep it" },
});
