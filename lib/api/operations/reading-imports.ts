import * as imports from "../../schemas/reading-imports";
import * as registry from "../../schemas/registry";
import { ROLES } from "../../auth/roles";
import { MAX_IMPORT_BYTES, SPREADSHEET_MEDIA_TYPES } from "../../file-import/limits";
import { defineOperation } from "../operation";

// Readings from a file (issue 18): those who enter readings (ROLES.enterReadings) upload, map,
// read and commit them; the operator among them, whose one write readings are.

const tag = "Readings import";

export const uploadReadingImport = defineOperation({
  method: "POST",
  path: "/api/reading-imports",
  operationId: "uploadReadingImport",
  tag,
  summary: "Upload a file of meter readings",
  description:
    "The file itself is the body (not JSON, not a form): a CSV file (UTF-8, with or without a BOM, or windows-1251; `;`, `,` " +
    "or a tab between columns; detected) or an Excel workbook (.xlsx, its first sheet). The first non-empty line is the header. " +
    "`period` is the month of rows that name none. The file is kept, unimported, until it is mapped (PUT …/mapping), previewed " +
    "and committed. The answer shows the columns, the first lines and a suggested mapping: the workspace's last one when its " +
    "columns are in this header, else a guess from the header's names.",
  auth: "any",
  roles: ROLES.enterReadings,
  query: imports.uploadQuery,
  fileBody: {
    mediaTypes: SPREADSHEET_MEDIA_TYPES,
    maxBytes: MAX_IMPORT_BYTES,
    description: "the readings as a CSV file or an .xlsx workbook, up to 20 MB",
  },
  responses: { 201: { description: "the import, status uploaded", schema: imports.readingImport } },
  errors: {
    404: "workspace_id is not one of the caller's workspaces",
    422: "the file cannot be read (import_file_unreadable: empty, not text nor a workbook, too few columns or no lines after the header); nothing is stored",
  },
});

export const listReadingImports = defineOperation({
  method: "GET",
  path: "/api/reading-imports",
  operationId: "listReadingImports",
  tag,
  summary: "List a workspace's readings imports",
  description: "Newest first.",
  auth: "any",
  roles: ROLES.enterReadings,
  query: imports.listImportsQuery,
  responses: { 200: { description: "the imports", schema: imports.readingImportList } },
  errors: { 404: "workspace_id is not one of the caller's workspaces" },
});

export const getReadingImport = defineOperation({
  method: "GET",
  path: "/api/reading-imports/{id}",
  operationId: "getReadingImport",
  tag,
  summary: "Get a readings import",
  description: "Status, counts, progress (rows_done of rows_total while a job checks a big file) and mapping; poll it while it is parsing.",
  auth: "any",
  roles: ROLES.enterReadings,
  params: registry.idParams,
  responses: { 200: { description: "the import", schema: imports.readingImport } },
});

export const setReadingImportMapping = defineOperation({
  method: "PUT",
  path: "/api/reading-imports/{id}/mapping",
  operationId: "setReadingImportMapping",
  tag,
  summary: "Map a readings file's columns and preview its rows",
  description:
    "Each field names a column by its 0-based index or its header text. The meter is found by `serial_number`, or by " +
    "`service` with `account_number` or with `apartment_number` (in the house `house_id`). The mapping is remembered for the " +
    "workspace (by header text). Every line is then checked: ok (which meter's reading of which month it sets, new or replacing " +
    "which value), warning (imported, but suspicious as the billing check defines it) or error (a reason: an unknown meter, not " +
    "a number, more than 3 decimals, lower than the previous reading, higher than the next, a closed or future month, the same " +
    "meter and month on an earlier line …). Up to 5,000 lines are checked at once (200, previewed); a bigger file by a " +
    "background job (202, parsing: poll GET …/{id}). Nothing is written to the readings.",
  auth: "any",
  roles: ROLES.enterReadings,
  params: registry.idParams,
  body: imports.mappingBody,
  responses: {
    200: { description: "the rows are checked: status previewed", schema: imports.readingImport },
    202: { description: "a job checks the rows: status parsing", schema: imports.readingImport },
  },
  errors: {
    404: "house_id is not a house of the import's workspace",
    409: "the import is parsing, committed or discarded (reading_import_closed)",
  },
});

export const listReadingImportRows = defineOperation({
  method: "GET",
  path: "/api/reading-imports/{id}/rows",
  operationId: "listReadingImportRows",
  tag,
  summary: "List an import's checked rows",
  description: "In file order, a page at a time (`after` = the previous page's next_after), with the meter and apartment each row sets.",
  auth: "any",
  roles: ROLES.enterReadings,
  params: registry.idParams,
  query: imports.rowsQuery,
  responses: { 200: { description: "the rows", schema: imports.readingImportRows } },
});

export const commitReadingImport = defineOperation({
  method: "POST",
  path: "/api/reading-imports/{id}/commit",
  operationId: "commitReadingImport",
  tag,
  summary: "Import the ok and warning rows as readings",
  description:
    "In one transaction: each ok or warning row's reading is written (source import, sent by the caller, with the import's id), " +
    "new or replacing the month's value. Refused when readings entered since the preview change a row's verdict " +
    "(reading_import_stale: map again), when every row is an error (reading_import_nothing_to_import) or when a month was " +
    "posted since (month_closed). The file is then dropped; the rows stay.",
  auth: "any",
  roles: ROLES.enterReadings,
  params: registry.idParams,
  responses: { 200: { description: "the import, status committed", schema: imports.readingImport } },
  errors: {
    409:
      "the import is not previewed (reading_import_not_previewed), every row is an error (reading_import_nothing_to_import), " +
      "the preview is stale (reading_import_stale) or a month was posted since (month_closed)",
  },
});

export const discardReadingImport = defineOperation({
  method: "DELETE",
  path: "/api/reading-imports/{id}",
  operationId: "discardReadingImport",
  tag,
  summary: "Discard a readings import",
  description: "Its file and rows are dropped; it stays in the list as discarded. A committed import cannot be discarded.",
  auth: "any",
  roles: ROLES.enterReadings,
  params: registry.idParams,
  responses: { 204: { description: "discarded" } },
  errors: { 409: "the import is committed or discarded already (reading_import_closed)" },
});

export const downloadRejectedReadingRows = defineOperation({
  method: "GET",
  path: "/api/reading-imports/{id}/rejected",
  operationId: "downloadRejectedReadingRows",
  tag,
  summary: "Download the rows that are not imported",
  description: "A CSV file (UTF-8 with a BOM, `;`): line, reason, message, then the line's own columns.",
  auth: "any",
  roles: ROLES.enterReadings,
  params: registry.idParams,
  query: imports.rejectedQuery,
  responses: { 200: { description: "the rejected rows", contentType: "text/csv" } },
});
