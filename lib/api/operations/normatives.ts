import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Normatives";

export const listNormatives = defineOperation({
  method: "GET",
  path: "/api/normatives",
  operationId: "listNormatives",
  tag,
  summary: "List normatives",
  description:
    "m³ per registered person per month of cold and hot water, for meters estimated by the normative: workspace defaults, " +
    "and with house_id the house's own too. In force from valid_from, like prices.",
  auth: "any",
  roles: ROLES.readBilling,
  query: registry.listNormativesQuery,
  responses: { 200: { description: "the normatives", schema: out.normativeList } },
  errors: { 404: "house_id is not a house of the caller's workspaces" },
});

export const createNormative = defineOperation({
  method: "POST",
  path: "/api/normatives",
  operationId: "createNormative",
  tag,
  summary: "Set a normative from a month on",
  description: "A workspace default, or with house_id one for a house only, in force from valid_from until the next one.",
  auth: "any",
  roles: ROLES.manage,
  body: registry.createNormativeBody,
  responses: { 201: { description: "the new normative", schema: out.normative } },
  errors: {
    404: "house_id or workspace_id is not one of the caller's",
    409:
      "a normative for this service, scope and month already exists (normative_exists), or its first month is posted for a house it " +
      "applies to (month_closed)",
  },
});
