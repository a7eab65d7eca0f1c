import * as accounts from "../schemas/accounts";
import * as billing from "../schemas/billing";
import { readingSheetQuery } from "../schemas/reading-sheet";
import * as registry from "../schemas/registry";
import * as out from "../schemas/responses";
import { defineOperation, type Operation } from "./operation";

// Every operation of the JSON API. Route handlers are built from these (app/api/**/route.ts)
// and /api/openapi.json is generated from them; tests/openapi.test.ts fails when a route has
// no operation here or an operation has no route.

const { idParams, meterPeriodParams } = registry;

// ---- houses ----

export const listHouses = defineOperation({
  method: "GET",
  path: "/api/houses",
  operationId: "listHouses",
  tag: "Houses",
  summary: "List houses",
  description: "Houses of the caller's workspaces, oldest first, with apartment count, total area and the last billed month.",
  auth: "any",
  query: registry.listHousesQuery,
  responses: { 200: { description: "a page of houses and the total", schema: out.housePage } },
});

export const createHouse = defineOperation({
  method: "POST",
  path: "/api/houses",
  operationId: "createHouse",
  tag: "Houses",
  summary: "Create a house",
  auth: "any",
  body: registry.createHouseBody,
  responses: { 201: { description: "the new house", schema: out.houseDetail } },
  errors: { 404: "workspace_id is not one of the caller's workspaces", 409: "the workspace already has a house at this address" },
});

export const getHouse = defineOperation({
  method: "GET",
  path: "/api/houses/{id}",
  operationId: "getHouse",
  tag: "Houses",
  summary: "Get a house",
  description: "The house with its apartments, their meters and last readings, and the prices in force this month.",
  auth: "any",
  params: idParams,
  responses: { 200: { description: "the house", schema: out.houseDetail } },
});

export const updateHouse = defineOperation({
  method: "PATCH",
  path: "/api/houses/{id}",
  operationId: "updateHouse",
  tag: "Houses",
  summary: "Change a house's address",
  auth: "any",
  params: idParams,
  body: registry.updateHouseBody,
  responses: { 200: { description: "the house as changed", schema: out.houseDetail } },
  errors: { 409: "another house of the workspace has this address" },
});

export const deleteHouse = defineOperation({
  method: "DELETE",
  path: "/api/houses/{id}",
  operationId: "deleteHouse",
  tag: "Houses",
  summary: "Delete a house",
  description: "Removes the house with its apartments, meters, readings and house prices.",
  auth: "any",
  params: idParams,
  responses: { 204: { description: "deleted" } },
  errors: { 409: "the house has been billed: its invoices keep it" },
});

// ---- apartments ----

export const createApartment = defineOperation({
  method: "POST",
  path: "/api/houses/{id}/apartments",
  operationId: "createApartment",
  tag: "Apartments",
  summary: "Add an apartment to a house",
  auth: "any",
  params: idParams,
  body: registry.createApartmentBody,
  responses: { 201: { description: "the new apartment", schema: out.apartment } },
  errors: { 409: "the house already has an apartment with this number" },
});

export const getApartment = defineOperation({
  method: "GET",
  path: "/api/apartments/{id}",
  operationId: "getApartment",
  tag: "Apartments",
  summary: "Get an apartment",
  description: "The apartment with its meters and each meter's last 12 readings.",
  auth: "any",
  params: idParams,
  responses: { 200: { description: "the apartment", schema: out.apartment } },
});

export const updateApartment = defineOperation({
  method: "PATCH",
  path: "/api/apartments/{id}",
  operationId: "updateApartment",
  tag: "Apartments",
  summary: "Change an apartment's number or area",
  description: "Invoices already made keep the area they were billed with.",
  auth: "any",
  params: idParams,
  body: registry.updateApartmentBody,
  responses: { 200: { description: "the apartment as changed", schema: out.apartment } },
  errors: { 409: "another apartment of the house has this number" },
});

export const deleteApartment = defineOperation({
  method: "DELETE",
  path: "/api/apartments/{id}",
  operationId: "deleteApartment",
  tag: "Apartments",
  summary: "Delete an apartment",
  description: "Removes the apartment with its meters and readings.",
  auth: "any",
  params: idParams,
  responses: { 204: { description: "deleted" } },
  errors: { 409: "the apartment has been billed: its invoices keep it" },
});

// ---- meters and readings ----

export const createMeter = defineOperation({
  method: "POST",
  path: "/api/apartments/{id}/meters",
  operationId: "createMeter",
  tag: "Meters",
  summary: "Install a meter in an apartment",
  auth: "any",
  params: idParams,
  body: registry.createMeterBody,
  responses: { 201: { description: "the new meter", schema: out.meter } },
  errors: { 409: "the workspace already has a meter with this serial number" },
});

export const getMeter = defineOperation({
  method: "GET",
  path: "/api/meters/{id}",
  operationId: "getMeter",
  tag: "Meters",
  summary: "Get a meter",
  description: "The meter with its last reading.",
  auth: "any",
  params: idParams,
  responses: { 200: { description: "the meter", schema: out.meter } },
});

export const updateMeter = defineOperation({
  method: "PATCH",
  path: "/api/meters/{id}",
  operationId: "updateMeter",
  tag: "Meters",
  summary: "Change a meter",
  description: "Serial number and installation date at any time; the service only while the meter has no readings.",
  auth: "any",
  params: idParams,
  body: registry.updateMeterBody,
  responses: { 200: { description: "the meter as changed", schema: out.meter } },
  errors: { 409: "the serial number is taken, or the service of a meter with readings was changed" },
});

export const deleteMeter = defineOperation({
  method: "DELETE",
  path: "/api/meters/{id}",
  operationId: "deleteMeter",
  tag: "Meters",
  summary: "Delete a meter",
  description: "Removes the meter and its readings.",
  auth: "any",
  params: idParams,
  responses: { 204: { description: "deleted" } },
  errors: { 409: "the meter's readings have been billed" },
});

export const listMeterReadings = defineOperation({
  method: "GET",
  path: "/api/meters/{id}/readings",
  operationId: "listMeterReadings",
  tag: "Readings",
  summary: "List a meter's readings",
  description: "Newest month first, each with its consumption since the reading before it.",
  auth: "any",
  params: idParams,
  responses: { 200: { description: "the readings", schema: out.readingList } },
});

export const putReading = defineOperation({
  method: "PUT",
  path: "/api/meters/{id}/readings/{period}",
  operationId: "putReading",
  tag: "Readings",
  summary: "Set a month's reading",
  description:
    "Creates or replaces the meter's reading for the month. A reading may not be below the previous month's " +
    "or above the next month's, nor be for a month after the current one.",
  auth: "any",
  params: meterPeriodParams,
  body: registry.putReadingBody,
  responses: {
    200: { description: "the reading replaced the month's earlier one", schema: out.readingSaved },
    201: { description: "the month's first reading", schema: out.readingSaved },
  },
  errors: { 422: "invalid input, or `reading_out_of_order`: below the previous or above the next reading" },
});

export const getReadingSheet = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/readings",
  operationId: "getReadingSheet",
  tag: "Readings",
  summary: "The reading-entry sheet of a house",
  description: "Every meter of the house for one month with its previous, current and next reading.",
  auth: "any",
  params: idParams,
  query: readingSheetQuery,
  responses: { 200: { description: "the sheet", schema: out.readingSheet } },
});

export const saveHouseReadings = defineOperation({
  method: "POST",
  path: "/api/houses/{id}/readings",
  operationId: "saveHouseReadings",
  tag: "Readings",
  summary: "Save a month of readings for a house",
  description: "All or nothing: one bad reading refuses the whole list, with `fields` naming each bad one (readings.N.value).",
  auth: "any",
  params: idParams,
  body: registry.bulkReadingsBody,
  responses: { 200: { description: "what was created and what replaced a month's earlier reading", schema: out.bulkReadingsResult } },
  errors: { 422: "invalid input or readings out of order; nothing was saved" },
});

// ---- tariffs ----

export const listTariffs = defineOperation({
  method: "GET",
  path: "/api/tariffs",
  operationId: "listTariffs",
  tag: "Tariffs",
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
  tag: "Tariffs",
  summary: "Set a price from a month on",
  description: "A workspace default, or with house_id a price for one house, in force from valid_from until the next price.",
  auth: "any",
  body: registry.createTariffBody,
  responses: { 201: { description: "the new price", schema: out.tariff } },
  errors: { 404: "house_id or workspace_id is not one of the caller's", 409: "a price for this service, scope and month already exists" },
});

// ---- billing ----

const runStarted = {
  200: { description: "a run for this month is already under way: that run", schema: out.billingRun },
  202: { description: "the run was started; poll GET /api/billing-runs/{id}", schema: out.billingRun },
};

export const startHouseBillingRun = defineOperation({
  method: "POST",
  path: "/api/houses/{id}/billing-runs",
  operationId: "startHouseBillingRun",
  tag: "Billing",
  summary: "Bill a house for a month",
  description:
    "Bills every apartment of the house in the background. A second run of the same month replaces the first one's invoices. " +
    "A missing price fails the run before any invoice is written.",
  auth: "any",
  params: idParams,
  body: billing.startHouseRunBody,
  responses: runStarted,
});

export const listHouseBillingRuns = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/billing-runs",
  operationId: "listHouseBillingRuns",
  tag: "Billing",
  summary: "List a house's billing runs",
  description: "Newest first.",
  auth: "any",
  params: idParams,
  responses: { 200: { description: "the runs", schema: out.billingRunList } },
});

export const startPortfolioBillingRun = defineOperation({
  method: "POST",
  path: "/api/billing-runs",
  operationId: "startPortfolioBillingRun",
  tag: "Billing",
  summary: "Bill every house of a workspace for a month",
  description: "One run with one combined progress over all the workspace's apartments.",
  auth: "any",
  body: billing.startPortfolioRunBody,
  responses: runStarted,
  errors: { 404: "workspace_id is not one of the caller's workspaces" },
});

export const getBillingRun = defineOperation({
  method: "GET",
  path: "/api/billing-runs/{id}",
  operationId: "getBillingRun",
  tag: "Billing",
  summary: "Get a billing run",
  description: "Status, progress and totals; poll it while the run is queued or running.",
  auth: "any",
  params: idParams,
  responses: { 200: { description: "the run", schema: out.billingRun } },
});

// ---- invoices ----

export const listHouseInvoices = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/invoices",
  operationId: "listHouseInvoices",
  tag: "Invoices",
  summary: "A house's invoices for a month",
  description: "Every invoice with its lines and the inputs that produced them, and the house's totals.",
  auth: "any",
  params: idParams,
  query: billing.invoicesQuery,
  responses: { 200: { description: "the invoices", schema: out.houseInvoices } },
});

export const downloadHouseInvoicesCsv = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/invoices/csv",
  operationId: "downloadHouseInvoicesCsv",
  tag: "Invoices",
  summary: "A house's invoice lines for a month as CSV",
  description: "One row per invoice line, for Excel: UTF-8 with a byte-order mark, `;`-separated.",
  auth: "any",
  params: idParams,
  query: billing.invoicesCsvQuery,
  responses: {
    200: {
      description: "the CSV file",
      contentType: "text/csv",
      headers: { "content-disposition": 'attachment; filename="invoices-<house>-<period>.csv"' },
    },
  },
});

export const listApartmentInvoices = defineOperation({
  method: "GET",
  path: "/api/apartments/{id}/invoices",
  operationId: "listApartmentInvoices",
  tag: "Invoices",
  summary: "An apartment's invoices",
  description: "Newest month first, each with its lines.",
  auth: "any",
  params: idParams,
  responses: { 200: { description: "the invoices", schema: out.apartmentInvoices } },
});

// ---- accounts ----

export const login = defineOperation({
  method: "POST",
  path: "/api/login",
  operationId: "login",
  tag: "Accounts",
  summary: "Send a sign-in code",
  description: "Sends a 6-digit one-time code to the phone by SMS (valid 5 minutes, 5 attempts). Then call POST /api/verify.",
  auth: "public",
  body: accounts.loginBody,
  responses: { 200: { description: "the code was sent", schema: out.loginResult } },
  errors: { 429: "too many codes for this phone or from this address: see retry_after and the Retry-After header" },
});

export const verify = defineOperation({
  method: "POST",
  path: "/api/verify",
  operationId: "verify",
  tag: "Accounts",
  summary: "Exchange the code for a session",
  description:
    "Signs in (registering a new person with their own workspace on the first sign-in). The token works as a Bearer credential " +
    "and is also set as the session cookie; sessions last 30 days from the last use.",
  auth: "public",
  body: accounts.verifyBody,
  responses: { 200: { description: "signed in", schema: out.verifyResult, headers: { "set-cookie": "the session cookie" } } },
  errors: { 422: "invalid input, or `invalid_code`: wrong, expired or already used", 429: "too many wrong attempts" },
});

export const logout = defineOperation({
  method: "POST",
  path: "/api/logout",
  operationId: "logout",
  tag: "Accounts",
  summary: "End the current session",
  auth: "person",
  responses: { 200: { description: "signed out; the cookie is cleared", schema: out.logoutResult } },
});

export const getProfile = defineOperation({
  method: "GET",
  path: "/api/profile",
  operationId: "getProfile",
  tag: "Accounts",
  summary: "Your profile",
  description: "Your phone, your invite code, the colleague's code you activated, and who joined with yours.",
  auth: "person",
  responses: { 200: { description: "the profile", schema: out.profile } },
});

export const activateInviteCode = defineOperation({
  method: "PATCH",
  path: "/api/profile",
  operationId: "activateInviteCode",
  tag: "Accounts",
  summary: "Join a colleague's workspace",
  description:
    "Activates a colleague's invite code, once per person; you join the code owner's workspace. " +
    "Every try counts: 5 a minute and 20 an hour per person, 10 a minute and 50 an hour per client address.",
  auth: "person",
  body: accounts.updateProfileBody,
  responses: { 200: { description: "the profile after joining", schema: out.profile } },
  errors: {
    409: "you already activated a code",
    422: "invalid input, your own code, or no one has this code",
    429: "too many codes tried: 5 a minute and 20 an hour per person, 10 a minute and 50 an hour per client address; see retry_after and the Retry-After header",
  },
});

export const listWorkspaces = defineOperation({
  method: "GET",
  path: "/api/workspaces",
  operationId: "listWorkspaces",
  tag: "Accounts",
  summary: "Your workspaces",
  description: "Your own workspace and the ones you joined, with your role in each.",
  auth: "person",
  responses: { 200: { description: "the workspaces", schema: out.workspaceList } },
});

export const listApiKeys = defineOperation({
  method: "GET",
  path: "/api/api-keys",
  operationId: "listApiKeys",
  tag: "Accounts",
  summary: "List API keys",
  description: "Keys of your workspaces: names, prefixes and dates, never the keys themselves.",
  auth: "person",
  responses: { 200: { description: "the keys", schema: out.apiKeyList } },
});

export const createApiKey = defineOperation({
  method: "POST",
  path: "/api/api-keys",
  operationId: "createApiKey",
  tag: "Accounts",
  summary: "Create an API key",
  description: "A key for one of your workspaces, sent as `Authorization: Bearer <key>`. The key is in this response only.",
  auth: "person",
  body: accounts.createApiKeyBody,
  responses: { 201: { description: "the key, shown once", schema: out.apiKeyCreated } },
  errors: { 404: "workspace_id is not one of your workspaces" },
});

export const deleteApiKey = defineOperation({
  method: "DELETE",
  path: "/api/api-keys/{id}",
  operationId: "deleteApiKey",
  tag: "Accounts",
  summary: "Revoke an API key",
  description: "The key stops working at once.",
  auth: "person",
  params: idParams,
  responses: { 204: { description: "revoked" } },
});

// ---- operations ----

export const health = defineOperation({
  method: "GET",
  path: "/api/health",
  operationId: "health",
  tag: "System",
  summary: "Health of the installation",
  description: "Database reachable, migrations current, the age of the newest worker heartbeat, and the queue depth.",
  auth: "public",
  responses: {
    200: { description: "everything is up", schema: out.healthReport },
    503: { description: "something is down: the checks say what", schema: out.healthReport },
  },
});

export const openApiDocument = defineOperation({
  method: "GET",
  path: "/api/openapi.json",
  operationId: "openApiDocument",
  tag: "System",
  summary: "This API's OpenAPI 3.1 description",
  description: "Generated from the schemas the routes validate with; a readable version is at /api/docs.",
  auth: "public",
  responses: { 200: { description: "the OpenAPI document", schema: out.openApiDocument } },
});

/** In the order the reference lists them. */
export const OPERATIONS: Operation[] = [
  listHouses,
  createHouse,
  getHouse,
  updateHouse,
  deleteHouse,
  createApartment,
  getApartment,
  updateApartment,
  deleteApartment,
  createMeter,
  getMeter,
  updateMeter,
  deleteMeter,
  listMeterReadings,
  putReading,
  getReadingSheet,
  saveHouseReadings,
  listTariffs,
  createTariff,
  startHouseBillingRun,
  listHouseBillingRuns,
  startPortfolioBillingRun,
  getBillingRun,
  listHouseInvoices,
  downloadHouseInvoicesCsv,
  listApartmentInvoices,
  login,
  verify,
  logout,
  getProfile,
  activateInviteCode,
  listWorkspaces,
  listApiKeys,
  createApiKey,
  deleteApiKey,
  health,
  openApiDocument,
] as Operation[];
