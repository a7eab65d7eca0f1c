import * as billing from "../../schemas/billing";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Months";

export const getPortfolioBillingCheck = defineOperation({
  method: "GET",
  path: "/api/billing-check",
  operationId: "getPortfolioBillingCheck",
  tag,
  summary: "Check a month of every house of a workspace before billing it",
  description:
    "The check of GET /api/houses/{id}/billing-check over every house of the workspace at once: each house with its counts and blockers " +
    "(oldest first), the counts added up, every blocker and every item that needs a look with its house's id and address. Writes nothing.",
  auth: "any",
  roles: ROLES.read,
  query: billing.portfolioCheckQuery,
  responses: { 200: { description: "the check", schema: out.portfolioBillingCheck } },
  errors: { 404: "workspace_id is not one of the caller's workspaces", 422: "the month is in the future" },
});

export const getMonthBoard = defineOperation({
  method: "GET",
  path: "/api/months/{period}/board",
  operationId: "getMonthBoard",
  tag,
  summary: "The month board: every house's state in a month",
  description:
    "Every house of the workspace (oldest first) with its state in the month — collecting, blocked, ready, draft, out_of_date, posted " +
    "(the first that holds, in the order posted, blocked, out_of_date, draft, collecting, ready) — the readings collected, what a run " +
    "would estimate, what blocks it, the month's invoices and how many drafts are out of date, and whether the month is posted; " +
    "and the workspace's totals with the houses in each state. Writes nothing.",
  auth: "any",
  roles: ROLES.read,
  params: billing.boardParams,
  query: billing.boardQuery,
  responses: { 200: { description: "the board", schema: out.monthBoard } },
  errors: { 404: "workspace_id is not one of the caller's workspaces", 422: "the month is in the future" },
});
