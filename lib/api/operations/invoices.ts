import * as billing from "../../schemas/billing";
import * as registry from "../../schemas/registry";
import * as out from "../../schemas/responses";
import { ROLES } from "../../auth/roles";
import { defineOperation } from "../operation";

const tag = "Invoices";

export const listHouseInvoices = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/invoices",
  operationId: "listHouseInvoices",
  tag,
  summary: "A house's invoices for a month",
  description: "Every invoice with its lines and the inputs that produced them, and the house's totals.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  query: billing.invoicesQuery,
  responses: { 200: { description: "the invoices", schema: out.houseInvoices } },
});

export const listHouseInvoiceSummaries = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/invoices/summary",
  operationId: "listHouseInvoiceSummaries",
  tag,
  summary: "A house's invoices for a month, without their lines",
  description:
    "The same invoices and totals as listHouseInvoices, each with the flags of its lines instead of the lines: for a list of the whole house (the lines are on listApartmentInvoices).",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  query: billing.invoicesQuery,
  responses: { 200: { description: "the invoices without their lines", schema: out.houseInvoiceSummaries } },
});

export const downloadHouseInvoicesCsv = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/invoices/csv",
  operationId: "downloadHouseInvoicesCsv",
  tag,
  summary: "A house's invoice lines for a month as CSV",
  description: "One row per invoice line, for Excel: UTF-8 with a byte-order mark, `;`-separated.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
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
  tag,
  summary: "An apartment's invoices",
  description: "Newest month first, each with its lines.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  responses: { 200: { description: "the invoices", schema: out.apartmentInvoices } },
});
