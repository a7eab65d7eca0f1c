import * as imports from "../../schemas/payment-imports";
import * as registry from "../../schemas/registry";
import { ROLES } from "../../auth/roles";
import { IMPORT_MEDIA_TYPES, MAX_IMPORT_BYTES } from "../../file-import/limits";
import { defineOperation } from "../operation";

const tag = "Payment imports";

export const uploadPaymentImport = defineOperation({
  method: "POST",
  path: "/api/payment-imports",
  operationId: "uploadPaymentImport",
  tag,
  summary: "Upload a bank payment registry",
  description:
    "The CSV file itself is the body (not JSON, not a form). The encoding (UTF-8, with or without a BOM, or windows-1251), " +
    "the delimiter (`;`, `,` or a tab) and the header (the first non-empty line) are detected. The file is kept, unimported, " +
    "until it is mapped (PUT …/mapping), previewed and committed. The answer shows the columns, the first lines and a suggested " +
    "mapping: the workspace's last one when its columns are in this header, else a guess from the header's names.",
  auth: "any",
  roles: ROLES.manage,
  query: imports.uploadQuery,
  fileBody: {
    mediaTypes: IMPORT_MEDIA_TYPES,
    maxBytes: MAX_IMPORT_BYTES,
    description: "the registry as a CSV file, up to 20 MB",
  },
  responses: { 201: { description: "the import, status uploaded", schema: imports.paymentImport } },
  errors: {
    404: "workspace_id is not one of the caller's workspaces",
    422: "the file cannot be read (import_file_unreadable: empty, not text, no columns or no lines after the header); nothing is stored",
  },
});

export const listPaymentImports = defineOperation({
  method: "GET",
  path: "/api/payment-imports",
  operationId: "listPaymentImports",
  tag,
  summary: "List a workspace's payment imports",
  description: "Newest first.",
  auth: "any",
  roles: ROLES.readBilling,
  query: imports.listImportsQuery,
  responses: { 200: { description: "the imports", schema: imports.paymentImportList } },
  errors: { 404: "workspace_id is not one of the caller's workspaces" },
});

export const getPaymentImport = defineOperation({
  method: "GET",
  path: "/api/payment-imports/{id}",
  operationId: "getPaymentImport",
  tag,
  summary: "Get a payment import",
  description: "Status, counts, progress (rows_done of rows_total while a job checks a big file) and mapping; poll it while it is parsing.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  responses: { 200: { description: "the import", schema: imports.paymentImport } },
});

export const setPaymentImportMapping = defineOperation({
  method: "PUT",
  path: "/api/payment-imports/{id}/mapping",
  operationId: "setPaymentImportMapping",
  tag,
  summary: "Map a registry's columns and preview its rows",
  description:
    "Each field names a column by its 0-based index or its header text. The mapping is remembered for the workspace (by header " +
    "text). Every line is then checked: ok (the apartment it pays), error (a reason) or duplicate (its external id is already " +
    "paid in the workspace, or repeated on an earlier line). Up to 5,000 lines are checked at once (200, previewed); a bigger " +
    "file by a background job (202, parsing: poll GET …/{id}). Nothing is written to the accounts.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  body: imports.mappingBody,
  responses: {
    200: { description: "the rows are checked: status previewed", schema: imports.paymentImport },
    202: { description: "a job checks the rows: status parsing", schema: imports.paymentImport },
  },
  errors: { 409: "the import is parsing, committed or discarded (payment_import_closed)" },
});

export const listPaymentImportRows = defineOperation({
  method: "GET",
  path: "/api/payment-imports/{id}/rows",
  operationId: "listPaymentImportRows",
  tag,
  summary: "List an import's checked rows",
  description: "In file order, a page at a time (`after` = the previous page's next_after), with the apartment each row pays.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  query: imports.rowsQuery,
  responses: { 200: { description: "the rows", schema: imports.paymentImportRows } },
});

export const commitPaymentImport = defineOperation({
  method: "POST",
  path: "/api/payment-imports/{id}/commit",
  operationId: "commitPaymentImport",
  tag,
  summary: "Import the ok rows as payments",
  description:
    "In one transaction: a payment (source import) per ok row. A payment with the row's external id recorded since the preview " +
    "makes the row a duplicate instead. The file is then dropped; the rows stay.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  responses: { 200: { description: "the import, status committed, with the final counts", schema: imports.paymentImport } },
  errors: { 409: "the import is not previewed (payment_import_not_previewed)" },
});

export const discardPaymentImport = defineOperation({
  method: "DELETE",
  path: "/api/payment-imports/{id}",
  operationId: "discardPaymentImport",
  tag,
  summary: "Discard an import",
  description: "Its file and rows are dropped; it stays in the list as discarded. A committed import cannot be discarded.",
  auth: "any",
  roles: ROLES.manage,
  params: registry.idParams,
  responses: { 204: { description: "discarded" } },
  errors: { 409: "the import is committed or discarded already (payment_import_closed)" },
});

export const downloadRejectedPaymentRows = defineOperation({
  method: "GET",
  path: "/api/payment-imports/{id}/rejected",
  operationId: "downloadRejectedPaymentRows",
  tag,
  summary: "Download the rows that are not imported",
  description: "A CSV file (UTF-8 with a BOM, `;`): line, status, reason, message, then the line's own columns.",
  auth: "any",
  roles: ROLES.readBilling,
  params: registry.idParams,
  query: imports.rejectedQuery,
  responses: { 200: { description: "the rejected rows", contentType: "text/csv" } },
});
