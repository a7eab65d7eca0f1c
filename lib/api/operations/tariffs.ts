import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
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
  body: registry.createTariffBody,
  responses: { 201: { description: "the new price", schema: out.tariff } },
  errors: {
    404: "house_id or workspace_id is not one of the caller's",
    409: "a price for this service, scope and month already exists (tariff_exists), or the price would be in force for a month already billed at another price (tariff_covers_billed_month)",
  },
});

export const updateTariff = defineOperation({
  method: "PATCH",
  path: "/api/tariffs/{id}",
  operationId: "updateTariff",
  tag,
  summary: "Correct a price not yet billed",
  description:
    "Changes the price or its first month while no invoice has been billed with it (and no run under way has fixed it). Once billed, the bills keep the price: a change is a new price from a later month.",
  auth: "any",
  params: registry.idParams,
  body: registry.updateTariffBody,
  responses: { 200: { description: "the price as corrected", schema: out.tariff } },
  errors: {
    409: "the price has been billed (tariff_used), another price of the scope and service starts that month (tariff_exists), or the new first month would make it the price in force for a month already billed at another price (tariff_covers_billed_month)",
  },
});

export const deleteTariff = defineOperation({
  method: "DELETE",
  path: "/api/tariffs/{id}",
  operationId: "deleteTariff",
  tag,
  summary: "Delete a price not yet billed",
  auth: "any",
  params: registry.idParams,
  responses: { 204: { description: "deleted" } },
  errors: { 409: "the price has been billed (tariff_used)" },
});
