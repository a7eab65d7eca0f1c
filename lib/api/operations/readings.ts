import { readingSheetQuery } from "../../schemas/reading-sheet";
import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Readings";

export const listMeterReadings = defineOperation({
  method: "GET",
  path: "/api/meters/{id}/readings",
  operationId: "listMeterReadings",
  tag,
  summary: "List a meter's readings",
  description: "Newest month first, each with its consumption since the reading before it.",
  auth: "any",
  roles: ROLES.read,
  params: registry.idParams,
  responses: { 200: { description: "the readings", schema: out.readingList } },
});

export const putReading = defineOperation({
  method: "PUT",
  path: "/api/meters/{id}/readings/{period}",
  operationId: "putReading",
  tag,
  summary: "Set a month's reading",
  description:
    "Creates or replaces the meter's reading for the month. A reading may not be below the previous month's " +
    "or above the next month's, nor be for a month after the current one.",
  auth: "any",
  roles: ROLES.enterReadings,
  params: registry.meterPeriodParams,
  body: registry.putReadingBody,
  responses: {
    200: { description: "the reading replaced the month's earlier one", schema: out.readingSaved },
    201: { description: "the month's first reading", schema: out.readingSaved },
  },
  errors: {
    409: "the month is closed (month_closed): the house has posted it or a later month",
    422: "invalid input, or `reading_out_of_order`: below the previous or above the next reading",
  },
});

export const getReadingSheet = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/readings",
  operationId: "getReadingSheet",
  tag,
  summary: "The reading-entry sheet of a house",
  description: "Every meter of the house for one month with its previous, current and next reading.",
  auth: "any",
  roles: ROLES.read,
  params: registry.idParams,
  query: readingSheetQuery,
  responses: { 200: { description: "the sheet", schema: out.readingSheet } },
});

export const saveHouseReadings = defineOperation({
  method: "POST",
  path: "/api/houses/{id}/readings",
  operationId: "saveHouseReadings",
  tag,
  summary: "Save a month of readings for a house",
  description: "All or nothing: one bad reading refuses the whole list, with `fields` naming each bad one (readings.N.value).",
  auth: "any",
  roles: ROLES.enterReadings,
  params: registry.idParams,
  body: registry.bulkReadingsBody,
  responses: { 200: { description: "what was created and what replaced a month's earlier reading", schema: out.bulkReadingsResult } },
  errors: {
    409: "the month is closed (month_closed): the house has posted it or a later month; nothing was saved",
    422: "invalid input or readings out of order; nothing was saved",
  },
});
