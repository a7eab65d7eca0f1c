import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Billing settings";

export const getBillingSettings = defineOperation({
  method: "GET",
  path: "/api/workspaces/{id}/billing-settings",
  operationId: "getBillingSettings",
  tag,
  summary: "The workspace's billing settings",
  description: "The payment due day: a month's bill is due on this day of the next month.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  responses: { 200: { description: "the settings", schema: out.billingSettings } },
});

export const updateBillingSettings = defineOperation({
  method: "PATCH",
  path: "/api/workspaces/{id}/billing-settings",
  operationId: "updateBillingSettings",
  tag,
  summary: "Change the payment due day",
  description:
    "`payment_due_day` (1–28, default 15 as ЖК РФ ст. 155 ч. 1 reads from March 2026): a month's bill is due on this day of the " +
    "next month, moved to the Monday when it falls on a Saturday or Sunday. A charge's due date is fixed when its month is " +
    "posted, so changing the day later does not move the due dates (nor the penalties) of months already posted: it applies to " +
    "the months posted from now on.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: registry.updateBillingSettingsBody,
  responses: { 200: { description: "the settings as changed", schema: out.billingSettings } },
});

export const listKeyRates = defineOperation({
  method: "GET",
  path: "/api/workspaces/{id}/key-rates",
  operationId: "listKeyRates",
  tag,
  summary: "The key rates penalties are counted from",
  description:
    "The key rate of the Bank of Russia as the workspace keeps it (ЖК РФ ст. 155 ч. 14), oldest first: seeded with the published " +
    "history since 2022, kept up to date by the workspace. Each rate shows the rate penalties use from its first day: the key " +
    "rate, at most 9.5 % from 2022-02-28 through 2026-12-31 (Постановление Правительства РФ от 26.03.2022 № 474).",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  responses: { 200: { description: "the rates, oldest first", schema: out.keyRateList } },
});

export const putKeyRate = defineOperation({
  method: "PUT",
  path: "/api/workspaces/{id}/key-rates/{valid_from}",
  operationId: "putKeyRate",
  tag,
  summary: "Set the key rate from a day",
  description:
    "Adds the rate in force from `valid_from` (the Bank's decisions take effect the next working day), or changes the one there " +
    'is from that day. `{ "percent": "16.50" }`. Penalties are computed when asked for and when a month is posted, so a change ' +
    "shows in the penalties of months posted from now on, not in penalty entries already posted.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.keyRateParams,
  body: registry.putKeyRateBody,
  responses: {
    200: { description: "the rate from that day was changed", schema: out.keyRate },
    201: { description: "a rate from that day was added", schema: out.keyRate },
  },
});

export const deleteKeyRate = defineOperation({
  method: "DELETE",
  path: "/api/workspaces/{id}/key-rates/{valid_from}",
  operationId: "deleteKeyRate",
  tag,
  summary: "Remove the key rate from a day",
  description: "The rate before it is then in force until the next one.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.keyRateParams,
  responses: { 204: { description: "removed" } },
  errors: { 404: "the workspace is not one of yours, or it has no rate from that day (key_rate_not_found)" },
});

export const getRequisites = defineOperation({
  method: "GET",
  path: "/api/workspaces/{id}/requisites",
  operationId: "getRequisites",
  tag,
  summary: "The organisation's requisites",
  description:
    "Who bills: the organisation's name, ИНН, КПП, address, phone, email, site and bank details, as the payment documents and " +
    'their QR codes show them ("" where not given). `complete` says whether everything a payment QR code needs is given, ' +
    "`missing` names what is not.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  responses: { 200: { description: "the requisites", schema: out.requisites } },
});

export const updateRequisites = defineOperation({
  method: "PATCH",
  path: "/api/workspaces/{id}/requisites",
  operationId: "updateRequisites",
  tag,
  summary: "Change the organisation's requisites",
  description:
    'Any of the fields; "" clears one. The ИНН\'s check digits are verified (422 inn_check_digit), and the keys of the settlement ' +
    "and correspondent accounts against the BIC as banks do (Положение Банка России № 579-П): with the BIC after the change, the " +
    "one sent or the one stored (422 account_check_digit on the account, or on `bic` when only it was sent). Nothing is written " +
    'on any error. `{ "inn": "7701000001", "kpp": "770101001" }`',
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: registry.updateRequisitesBody,
  responses: { 200: { description: "the requisites as changed", schema: out.requisites } },
});
