// The sizes the import works within (shared by the operation's definition and the code).

/** The largest registry taken. */
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
/** Up to this many lines are checked within the request; a bigger file by a job (with progress). */
export const PREVIEW_SYNC_ROWS = 5_000;
/** Rows per INSERT statement (and per job transaction). */
export const ROWS_PER_STATEMENT = 5_000;
/** What a registry may be declared as (browsers on Windows call a .csv file application/vnd.ms-excel). */
export const IMPORT_MEDIA_TYPES = ["text/csv", "text/plain", "application/csv", "application/octet-stream", "application/vnd.ms-excel"];
