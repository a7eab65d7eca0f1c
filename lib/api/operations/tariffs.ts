import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Tariffs";

export const listTariffs = defineOperation({
  method: "GET",
  path: "/api/tariffs",
  operationId: "listTariffs",
  tag,
  summary: "List prices",
  description: "The price history per service: workspace defaults, and with house_id the house's own prices too.",
  auth: "any",
  roles: ROLES.readBilling,
  query: registry.listTariffsQuery,
  responses: { 200: { description: "the prices", schema: out.tariffList } },
  errors: { 404: "house_id is not a house of the caller's workspaces" },
});

export const createTariff = defineOperation({
  method: "POST",
  path: "/api/tariffs",
  operationId: "createTariff",
  tag,
  summary: "Set a price from a month on",
  description: "A workspace default, or with house_id a price for one house, in force from valid_from until the next price.",
  auth: "any",
  roles: ROLES.manage,
  body: registry.createTariffBody,
  responses: { 201: { description: "the new price", schema: out.tariff } },
  errors: {
    404: "house_id or workspace_id is not one of the caller's",
    409:
      "a price for this service, scope and month already exists (tariff_exists), or its first month is posted for a house it applies to " +
      "(month_closed: a correction goes into a later month)",
  },
});

export const updateTariff = defineOperation({
  method: "PATCH",
  path: "/api/tariffs/{id}",
  operationId: "updateTariff",
  tag,
  summary: "Correct a price",
  description:
    "Changes the price or its first month. Draft invoices billed with it, or that it would now be in force for, are marked out of date " +
    "(bill the month again). Refused once a month it is in force in is posted for a house it applies to (the bills keep it: a change is " +
    "a new price from a later month), and while a run under way bills at it.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: registry.updateTariffBody,
  responses: { 200: { description: "the price as corrected", schema: out.tariff } },
  errors: {
    409:
      "a posted month is in its reach, before or after the change (month_closed), another price of the scope and service starts that " +
      "month (tariff_exists), or a run under way bills at it (month_run_in_progress)",
  },
});

export const deleteTariff = defineOperation({
  method: "DELETE",
  path: "/api/tariffs/{id}",
  operationId: "deleteTariff",
  tag,
  summary: "Delete a price",
  description: "Like a correction: the drafts billed with it are marked out of date; refused once a month it is in force in is posted.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  responses: { 204: { description: "deleted" } },
  errors: { 409: "a posted month is in its reach (month_closed), or a run under way bills at it (month_run_in_progress)" },
});
