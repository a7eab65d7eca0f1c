import * as ledger from "../../schemas/ledger";
import * as registry from "../../schemas/registry";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Accounts and payments";

export const listPayments = defineOperation({
  method: "GET",
  path: "/api/payments",
  operationId: "listPayments",
  tag,
  summary: "Payments, newest first",
  description: "Filter by workspace, house, apartment, dates paid, source or import. A reversed payment is listed with `reversed_by`.",
  auth: "any",
  roles: ROLES.readBilling,
  query: ledger.listPaymentsQuery,
  responses: { 200: { description: "a page of payments", schema: ledger.paymentPage } },
  errors: { 404: "workspace_id is not one of the caller's workspaces" },
});

export const createPayment = defineOperation({
  method: "POST",
  path: "/api/payments",
  operationId: "createPayment",
  tag,
  summary: "Record a payment",
  description:
    "For an apartment named by id or by its account number. Money as a decimal string (kopecks exact). A payment that names its month " +
    "pays that month first, then the oldest debts (the opening balance, the charges by month, then penalties); what is left is a credit. " +
    "The source is `manual` for a person and `api` for an API key. Refused: a date after today (422 date_in_future), an unknown account " +
    "number (422 account_number_unknown), a bank id already recorded in the workspace (409 payment_duplicate).",
  auth: "any",
  roles: ROLES.manage,
  body: ledger.createPaymentBody,
  responses: { 201: { description: "the payment", schema: ledger.payment } },
  errors: { 404: "no such apartment (or workspace_id) in the caller's workspaces", 409: "payment_duplicate", 422: "see the description" },
});

export const reversePayment = defineOperation({
  method: "POST",
  path: "/api/payments/{id}/reverse",
  operationId: "reversePayment",
  tag,
  summary: "Reverse a payment entered by mistake",
  description:
    "Writes a reversal entry of the opposite amount, on the payment's date, with the reason; the payment stays in the account, marked " +
    "`reversed_by`, and no longer pays anything. Once only (409 payment_already_reversed).",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: ledger.reversePaymentBody,
  responses: { 200: { description: "the payment, reversed", schema: ledger.payment } },
  errors: { 409: "payment_already_reversed" },
});

export const getApartmentAccount = defineOperation({
  method: "GET",
  path: "/api/apartments/{id}/account",
  operationId: "getApartmentAccount",
  tag,
  summary: "The apartment's account (лицевой счёт) as of a date",
  description:
    "Every entry, and as of `as_of` (default today): per month charged, paid, owed, days overdue and the penalty (ЖК РФ ст. 155 ч. 14), " +
    "the balance, the penalties accrued and not yet entered, and `total_due`: what pays everything on that day.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  query: ledger.accountQuery,
  responses: { 200: { description: "the account", schema: ledger.account } },
});

export const setOpeningBalance = defineOperation({
  method: "PUT",
  path: "/api/apartments/{id}/opening-balance",
  operationId: "setOpeningBalance",
  tag,
  summary: "Set the apartment's opening balance",
  description:
    "The debt (> 0) or credit (< 0) the apartment starts with here, on a date; one per apartment. A new one reverses the one in force " +
    "and is written after it; 0 removes it. It accrues no penalty and is paid first.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: ledger.openingBalanceBody,
  responses: { 200: { description: "the account", schema: ledger.account } },
});

export const setOpeningBalances = defineOperation({
  method: "POST",
  path: "/api/opening-balances",
  operationId: "setOpeningBalances",
  tag,
  summary: "Set many apartments' opening balances at once",
  description:
    "The debts (and credits) the apartments come with, by account number, all on one date: the import of a previous system's " +
    "balances. Every row is checked first; an unknown or repeated account number refuses the whole list (422, `fields` name the rows: " +
    "balances.N.account_number) and nothing is written. Each row does what setOpeningBalance does (0 removes; the same again changes nothing).",
  auth: "any",
  roles: ROLES.manage,
  body: ledger.openingBalancesBody,
  responses: { 200: { description: "how many were set, removed, unchanged", schema: ledger.openingBalancesResult } },
  errors: { 404: "workspace_id is not one of the caller's workspaces" },
});

export const listHouseDebtors = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/debtors",
  operationId: "listHouseDebtors",
  tag,
  summary: "A house's debtors",
  description:
    "The apartments that owe as of `as_of` (default today), the largest debt first, with months overdue and penalties; and the house's total debt.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  query: ledger.houseDebtorsQuery,
  responses: { 200: { description: "the debtors", schema: ledger.debtors } },
});

export const listDebtors = defineOperation({
  method: "GET",
  path: "/api/debtors",
  operationId: "listDebtors",
  tag,
  summary: "A workspace's debtors",
  description: "As listHouseDebtors, for every house of the workspace.",
  auth: "any",
  roles: ROLES.readBilling,
  query: ledger.debtorsQuery,
  responses: { 200: { description: "the debtors", schema: ledger.debtors } },
  errors: { 404: "workspace_id is not one of the caller's workspaces" },
});
