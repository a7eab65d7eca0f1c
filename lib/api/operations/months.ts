import * as billing from "../../schemas/billing";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Months";

export const getHouseMonth = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/months/{period}",
  operationId: "getHouseMonth",
  tag,
  summary: "A house's month: draft, out of date or posted",
  description:
    "Whether the month is billed, which draft invoices are out of date and why (a reading, the apartment, a meter, a price, a normative, " +
    "a service, an earlier month billed again changed after they were billed), whether it can be posted and why not, and its postings " +
    "and reopenings.",
  auth: "any",
  roles: ROLES.readBilling,
  params: billing.houseMonthParams,
  responses: { 200: { description: "the month", schema: out.houseMonth } },
  errors: { 422: "the month is in the future" },
});

export const postHouseMonth = defineOperation({
  method: "POST",
  path: "/api/houses/{id}/months/{period}/post",
  operationId: "postHouseMonth",
  tag,
  summary: "Post (close) a house's month",
  description:
    "The month's invoices become final. From then on no reading, price or normative of this month or before can be written, changed " +
    "or removed, and no run bills it (409 month_closed); a correction goes into the next month's true-up. Refused (409) while a run " +
    "bills the month (month_run_in_progress), before it is billed (month_not_billed), while a draft is out of date or an apartment has " +
    "no invoice (month_out_of_date), while the check finds what would block a run (month_blocked), while an earlier month is still a " +
    "draft (earlier_month_open), and when it is posted already (month_already_posted).",
  auth: "any",
  roles: ROLES.manage,
  params: billing.houseMonthParams,
  responses: { 200: { description: "the posted month", schema: out.houseMonth } },
  errors: { 409: "see the description", 422: "the month is in the future" },
});

export const reopenHouseMonth = defineOperation({
  method: "POST",
  path: "/api/houses/{id}/months/{period}/reopen",
  operationId: "reopenHouseMonth",
  tag,
  summary: "Reopen a house's latest posted month",
  description:
    "For an owner of the workspace, with a reason that is kept: the month's invoices are drafts again. Only the house's latest posted " +
    "month (409 later_month_posted), only a posted one (409 month_not_posted).",
  auth: "person",
  roles: ROLES.owner,
  params: billing.houseMonthParams,
  body: billing.reopenMonthBody,
  responses: { 200: { description: "the reopened month", schema: out.houseMonth } },
  errors: { 409: "see the description" },
});
