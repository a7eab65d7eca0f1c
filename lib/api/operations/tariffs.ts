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
  errors: { 404: "house_id or workspace_id is not one of the caller's", 409: "a price for this service, scope and month already exists" },
});
