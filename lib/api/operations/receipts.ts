import { ROLES } from "../../auth/roles";
import * as registry from "../../schemas/registry";
import * as receipts from "../../schemas/receipts";
import { defineOperation } from "../operation";

const tag = "Payment documents";

/** What an apartment's payment document answers: the managers' and the resident's (residents.ts) alike. */
export const apartmentReceiptAnswers = {
  errors: {
    409: "receipt_no_invoice: the month is not billed; requisites_incomplete: the workspace's requisites lack what the QR code needs",
  },
  responses: {
    200: {
      description: "the PDF",
      contentType: "application/pdf",
      headers: { "content-disposition": 'attachment; filename="receipt-<account>-<period>.pdf"' },
    },
  },
} as const;

export const downloadApartmentReceipt = defineOperation({
  method: "GET",
  path: "/api/apartments/{id}/receipt",
  operationId: "downloadApartmentReceipt",
  tag,
  summary: "An apartment's payment document for a month (PDF)",
  description:
    "The single payment document (ЕПД) of the month as an A4 PDF in Russian: payer, organisation and bank details, services with volumes, tariffs and recalculations, meters, the debt at the start of the month, payments, penalties, the total to pay and a payment QR code (ГОСТ Р 56042-2014). A month not yet posted is watermarked «черновик». 409 receipt_no_invoice when the month is not billed, 409 requisites_incomplete when the workspace's requisites lack what the QR code needs.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  query: receipts.receiptQuery,
  ...apartmentReceiptAnswers,
});

export const startReceiptBatch = defineOperation({
  method: "POST",
  path: "/api/houses/{id}/receipt-batches",
  operationId: "startReceiptBatch",
  tag,
  summary: "Make a house's payment documents for a month (one PDF, in the background)",
  description:
    "Queues a job that renders every apartment's payment document of the month into one PDF; poll getReceiptBatch for its progress, then download it. 409 receipt_no_invoices when the house has no invoices for the month, 409 requisites_incomplete as for one apartment.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  body: receipts.startReceiptBatchBody,
  errors: { 409: "receipt_no_invoices: the house has no invoices for the month; requisites_incomplete" },
  responses: { 202: { description: "the batch, queued", schema: receipts.receiptBatchOut } },
});

export const listReceiptBatches = defineOperation({
  method: "GET",
  path: "/api/houses/{id}/receipt-batches",
  operationId: "listReceiptBatches",
  tag,
  summary: "A house's batches of payment documents",
  description: "Newest first (the last 20), of one month or of all.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  query: receipts.receiptBatchesQuery,
  responses: { 200: { description: "the batches", schema: receipts.receiptBatchList } },
});

export const getReceiptBatch = defineOperation({
  method: "GET",
  path: "/api/receipt-batches/{id}",
  operationId: "getReceiptBatch",
  tag,
  summary: "A batch of payment documents: its progress",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  responses: { 200: { description: "the batch", schema: receipts.receiptBatchOut } },
});

export const downloadReceiptBatch = defineOperation({
  method: "GET",
  path: "/api/receipt-batches/{id}/pdf",
  operationId: "downloadReceiptBatch",
  tag,
  summary: "A finished batch's PDF",
  description: "409 receipt_batch_not_ready until the batch is done.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  errors: { 409: "receipt_batch_not_ready: the batch is queued, running or failed" },
  responses: {
    200: {
      description: "the PDF: one page (or more) per apartment",
      contentType: "application/pdf",
      headers: { "content-disposition": 'attachment; filename="receipts-<house>-<period>.pdf"' },
    },
  },
});
