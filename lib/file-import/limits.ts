// The sizes the imports (payments, readings) work within, shared by the operations' definitions and the code.

/** The largest file taken. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** Up to this many lines are checked within the request; a bigger file by a job (with progress). */
export const PREVIEW_SYNC_ROWS = 5_000;
/** Rows per INSERT statement (and per job transaction). */
export const ROWS_PER_STATEMENT = 5_000;
/** What a CSV file may be declared as (browsers on Windows call a .csv file application/vnd.ms-excel). */
export const IMPORT_MEDIA_TYPES = ["text/csv", "text/plain", "application/csv", "application/octet-stream", "application/vnd.ms-excel"];
/** … and an Excel workbook (.xlsx), which the readings import takes too. */
export const SPREADSHEET_MEDIA_TYPES = [
  ...IMPORT_MEDIA_TYPES,
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "application/zip",
];
