import * as billing from "../../schemas/billing";
import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Billing";

const runStarted = {
  200: { description: "a run for this month is already under way: that run", schema: out.billingRun },
  202: { description: "the run was started; poll GET /api/billing-runs/{id}", schema: out.billingRun },
};

export const startHouseBillingRun = defineOperation({
  method: "POST",
  path: "/api/houses/{id}/billing-runs",
  operationId: "startHouseBillingRun",
  tag,
  summary: "Bill a house for a month",
  description:
    "Bills every apartment of the house in the background. A second run of the same month replaces the first one's invoices. " +
    "A missing price fails the run before any invoice is written. The invoices are drafts until the month is posted " +
    "(POST /api/houses/{id}/months/{period}/post).",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: billing.startHouseRunBody,
  responses: runStarted,
  errors: { 409: "the month is closed (month_closed): the house has posted it or a later month: a posted month is never billed again" },
});

export const listHouseBillingRuns = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/billing-runs",
  operationId: "listHouseBillingRuns",
  tag,
  summary: "List a house's billing runs",
  description: "Newest first.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  responses: { 200: { description: "the runs", schema: out.billingRunList } },
});

export const getHouseBillingCheck = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/billing-check",
  operationId: "getHouseBillingCheck",
  tag,
  summary: "Check a house's month before billing it",
  description:
    "What a run of the month would do with each meter (the same rules: a reading, an estimate by the average or the normative, a true-up) " +
    "and what needs a look first: meters without a reading, past or near the end of their verification, with a suspicious reading, " +
    "apartments without meters; `blocking` lists what would fail the run (a billed service without a price, a missing normative). " +
    "Writes nothing.",
  auth: "any",
  roles: ROLES.read,
  params: registry.idParams,
  query: billing.invoicesQuery,
  responses: { 200: { description: "the check", schema: out.billingCheck } },
  errors: { 422: "the month is in the future" },
});

export const startPortfolioBillingRun = defineOperation({
  method: "POST",
  path: "/api/billing-runs",
  operationId: "startPortfolioBillingRun",
  tag,
  summary: "Bill every house of a workspace for a month",
  description: "One run with one combined progress over all the workspace's apartments; houses whose month is posted are left out.",
  auth: "any",
  roles: ROLES.manage,
  body: billing.startPortfolioRunBody,
  responses: runStarted,
  errors: { 404: "workspace_id is not one of the caller's workspaces" },
});

export const getBillingRun = defineOperation({
  method: "GET",
  path: "/api/billing-runs/{id}",
  operationId: "getBillingRun",
  tag,
  summary: "Get a billing run",
  description: "Status, progress and totals; poll it while the run is queued or running.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  responses: { 200: { description: "the run", schema: out.billingRun } },
});
