import { ROLES } from "../../auth/roles";
import * as receipts from "../../schemas/receipts";
import * as registry from "../../schemas/registry";
import * as residents from "../../schemas/residents";
import { defineOperation } from "../operation";
import { apartmentReceiptAnswers } from "./receipts";

// Residents (issue 18): the phones a manager puts on an apartment, and what a person signed in
// with such a phone reaches under /api/my — their own apartments, and nothing else of the
// workspace they lie in.

const tag = "Residents";

// Phones are personal data (152-ФЗ): those who keep the apartment's register and bills see them;
// an operator, whose one job is the readings, does not need them.
export const listResidents = defineOperation({
  method: "GET",
  path: "/api/apartments/{id}/residents",
  operationId: "listResidents",
  tag,
  summary: "List an apartment's residents",
  description: "The phones that may sign in and send the apartment's readings from /my: owners first, then tenants.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  responses: { 200: { description: "the residents", schema: residents.residentList } },
});

export const addResident = defineOperation({
  method: "POST",
  path: "/api/apartments/{id}/residents",
  operationId: "addResident",
  tag,
  summary: "Add a resident's phone to an apartment",
  description:
    "The phone is kept as sign-in keeps it (E.164), so a person signing in with it in any form sees the apartment at /my. " +
    "One phone may be a resident of several apartments, in several workspaces; it does not make the person a member.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: residents.createResidentBody,
  responses: { 201: { description: "the new resident", schema: residents.resident } },
  errors: { 409: "resident_exists: the apartment already has this phone" },
});

export const updateResident = defineOperation({
  method: "PATCH",
  path: "/api/apartments/{id}/residents/{resident_id}",
  operationId: "updateResident",
  tag,
  summary: "Change a resident's kind or name",
  auth: "any",
  roles: ROLES.manage,
  params: residents.residentParams,
  body: residents.updateResidentBody,
  responses: { 200: { description: "the resident as changed", schema: residents.resident } },
});

export const removeResident = defineOperation({
  method: "DELETE",
  path: "/api/apartments/{id}/residents/{resident_id}",
  operationId: "removeResident",
  tag,
  summary: "Remove a resident's phone from an apartment",
  description: "The readings they sent stay, still naming them.",
  auth: "any",
  roles: ROLES.manage,
  params: residents.residentParams,
  responses: { 204: { description: "removed" } },
});

// no apostrophe: Swagger UI's element ids (and links to an operation) are made from the tag
const myTag = "My apartments";
const notYours = "An apartment the caller is not a resident of answers 404 apartment_not_found, as one that does not exist.";

export const listMyApartments = defineOperation({
  method: "GET",
  path: "/api/my/apartments",
  operationId: "listMyApartments",
  tag: myTag,
  summary: "The apartments the signed-in person is a resident of",
  description:
    "Every apartment whose resident phone is the caller's, in every workspace: its meters with the last reading and this " +
    "month's, the reading window and the balance.",
  auth: "person",
  roles: "self",
  responses: { 200: { description: "the apartments", schema: residents.myApartmentList } },
});

export const getMyApartment = defineOperation({
  method: "GET",
  path: "/api/my/apartments/{id}",
  operationId: "getMyApartment",
  tag: myTag,
  summary: "One of the caller's apartments as a resident",
  description: `The apartment with each meter's readings (and who sent them), its invoices and its account. ${notYours}`,
  auth: "person",
  roles: "self",
  params: registry.idParams,
  responses: { 200: { description: "the apartment", schema: residents.myApartmentDetail } },
});

export const sendMyReadings = defineOperation({
  method: "POST",
  path: "/api/my/apartments/{id}/readings",
  operationId: "sendMyReadings",
  tag: myTag,
  summary: "Send this month's readings as a resident",
  description:
    "The current month's readings of the apartment's meters, all or nothing, stored as sent by the resident (source " +
    "`resident`). Taken only on the days of the workspace's reading window. A value that looks wrong (far above the usual " +
    `use, or a third month without use) is refused until the body says confirm_suspicious: true. ${notYours}`,
  auth: "person",
  roles: "self",
  params: registry.idParams,
  body: residents.residentReadingsBody,
  responses: {
    200: { description: "what was created and what replaced an earlier reading of the month", schema: residents.residentReadingsSaved },
  },
  errors: {
    409:
      "reading_window_closed (params from, to): today is outside the window; reading_suspicious: some values look wrong, " +
      "`fields` names them; month_closed: the house has posted the month. Nothing was saved",
    422: "invalid input, a meter of another apartment, or readings out of order; nothing was saved",
  },
});

export const downloadMyApartmentReceipt = defineOperation({
  method: "GET",
  path: "/api/my/apartments/{id}/receipt",
  operationId: "downloadMyApartmentReceipt",
  tag: myTag,
  summary: "The payment document of one of the caller's apartments (PDF)",
  description: `The same document the managers download (GET /api/apartments/{id}/receipt). ${notYours}`,
  auth: "person",
  roles: "self",
  params: registry.idParams,
  query: receipts.receiptQuery,
  ...apartmentReceiptAnswers,
});
