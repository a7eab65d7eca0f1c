import * as history from "../../schemas/history";
import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "History";

const recorded =
  "Every change made to the register, readings, prices, normatives, services, billing runs, months, members, API keys and the " +
  "workspace is recorded in the same transaction as the change: who (a person or an API key), when, what (entity and id) and " +
  "the row before and after. The history is append-only: no operation changes or deletes it, and the database refuses to.";

export const listHistory = defineOperation({
  method: "GET",
  path: "/api/history",
  operationId: "listHistory",
  tag,
  summary: "The history of a workspace's changes",
  description:
    `${recorded} Newest first, \`limit\` entries a page; the next page is \`before=<next_before>\`. The filters combine (AND). ` +
    "A cascade (a house deleted with its apartments, meters and readings) is one entry: the deletion of what was asked for.",
  auth: "any",
  roles: ROLES.readBilling,
  query: history.historyQuery,
  responses: { 200: { description: "a page of entries", schema: out.historyPage } },
  errors: { 404: "workspace_id is not one of the caller's workspaces" },
});

export const listApartmentHistory = defineOperation({
  method: "GET",
  path: "/api/apartments/{id}/history",
  operationId: "listApartmentHistory",
  tag,
  summary: "The history of an apartment, its meters and readings included",
  description:
    `${recorded} The apartment's entries and its meters' and readings' (including those of meters since removed), newest first, ` +
    "paginated as GET /api/history. A deleted apartment's history stays readable.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  query: history.apartmentHistoryQuery,
  responses: { 200: { description: "a page of entries", schema: out.historyPage } },
});
