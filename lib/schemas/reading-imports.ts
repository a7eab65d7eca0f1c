import { z } from "zod";
import { READING_IMPORT_ROW_REASONS, READING_IMPORT_ROW_STATUSES, READING_IMPORT_STATUSES } from "../constants";
import { idParam, pagination, text, typeError } from "./common";
import { rowsQuery as paymentRowsQuery, rejectedQuery } from "./payment-imports";
import { count, id, month, readingValue, timestamp } from "./values";

// The import of meter readings from a file: upload (the file as the body), mapping, preview, commit.

const workspaceQuery = idParam.optional().meta({ description: "one of the caller's workspaces; default: their own" });

export const uploadQuery = z.strictObject({
  workspace_id: workspaceQuery,
  file_name: text(255).optional().meta({ description: "the file's name, kept to show in the list; default readings.csv (or .xlsx)" }),
  period: month.optional().meta({ description: "the month (YYYY-MM) of the readings of rows without a month column" }),
});
export const listImportsQuery = z.strictObject({ workspace_id: workspaceQuery, ...pagination });

/** A column: its 0-based index or its header text. */
const column = z
  .union([z.int().min(0).max(999), z.string().trim().min(1).max(200)], {
    error: typeError("a column index (0-based) or the column's header text"),
  })
  .meta({ description: "a column: its 0-based index, or its header text as the file has it" });

export const mappingBody = z.strictObject({
  serial_number: column.nullish().meta({ description: "the meter's serial number (unique in the workspace)" }),
  account_number: column.nullish().meta({ description: "the apartment's account number (with `service`, instead of the serial)" }),
  apartment_number: column
    .nullish()
    .meta({ description: "the apartment's number in the house `house_id` (with `service`, instead of the serial)" }),
  service: column.nullish().meta({ description: "cold or hot water: ХВС / холодная вода / cold_water, ГВС / горячая вода / hot_water" }),
  value: column.meta({ description: "the reading, m³: a decimal comma or point, spaces between thousands, at most 3 decimals" }),
  period: column.nullish().meta({
    description: "the month: MM.YYYY, MM/YYYY, YYYY-MM, MMYYYY, MMYY or a date in it; an empty cell takes the month chosen on upload",
  }),
  house_id: id.nullish().meta({ description: "the house whose apartments `apartment_number` names" }),
});
export type MappingBody = z.output<typeof mappingBody>;

export const rowsQuery = paymentRowsQuery.extend({
  status: z
    .enum(READING_IMPORT_ROW_STATUSES, { error: typeError(`one of ${READING_IMPORT_ROW_STATUSES.join(", ")}`) })
    .optional()
    .meta({ description: "only rows with this status" }),
});
export { rejectedQuery };

// ---- answers ----

const columnIndex = z.int().min(0);
const mapping = z
  .strictObject({
    serial_number: columnIndex.optional(),
    account_number: columnIndex.optional(),
    apartment_number: columnIndex.optional(),
    service: columnIndex.optional(),
    value: columnIndex,
    period: columnIndex.optional(),
  })
  .meta({ description: "field → 0-based column index" });

export const readingImport = z.strictObject({
  id,
  workspace_id: id,
  file_name: z.string(),
  format: z.enum(["csv", "xlsx"]),
  status: z.enum(READING_IMPORT_STATUSES),
  encoding: z.string().nullable().meta({ description: "utf-8 or windows-1251, as detected (null: an Excel workbook)" }),
  delimiter: z.string().nullable().meta({ description: '";", "," or a tab, as detected (null: an Excel workbook)' }),
  period: month.nullable().meta({ description: "the month chosen on upload, for rows without a month" }),
  house_id: id.nullable().meta({ description: "the house apartment numbers are in (set with the mapping)" }),
  columns: z.array(z.string()).nullable().meta({ description: "the header's columns (null once the file is committed or discarded)" }),
  sample: z.array(z.array(z.string())).meta({ description: "the first lines after the header, as cells (empty once the file is gone)" }),
  suggested_mapping: mapping.partial().nullable().meta({
    description: "the workspace's remembered mapping when its columns are in this header, else a guess from the header's names",
  }),
  suggested_from: z.enum(["remembered", "guessed"]).nullable(),
  mapping: mapping.nullable().meta({ description: "the mapping the rows were checked with" }),
  rows_total: count,
  rows_done: count.meta({ description: "rows checked so far (a big file is checked by a background job)" }),
  rows_ok: count.meta({ description: "rows that will be imported" }),
  rows_warning: count.meta({ description: "rows that will be imported, with a warning (a suspicious value)" }),
  rows_error: count.meta({ description: "rows that will not be imported" }),
  percent: z.int().min(0).max(100),
  failure: z.string().nullable(),
  created_at: timestamp,
  committed_at: timestamp.nullable(),
  committed_by_id: id.nullable(),
});
export type ReadingImportView = z.output<typeof readingImport>;
export const readingImportList = z.strictObject({ items: z.array(readingImport), total: count });

const readingImportRow = z.strictObject({
  line: z.int().min(1).meta({ description: "the file line (the sheet's row), 1-based, counting the header" }),
  status: z.enum(READING_IMPORT_ROW_STATUSES),
  reason: z.enum(READING_IMPORT_ROW_REASONS).nullable(),
  params: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .nullable()
    .meta({ description: "the values the reason names" }),
  message: z.string().nullable(),
  raw: z.string().meta({ description: "the line as the file has it (an Excel row: its cells joined by ;)" }),
  meter_id: id.nullable(),
  serial_number: z.string().nullable(),
  service: z.string().nullable(),
  apartment_id: id.nullable(),
  apartment_number: z.string().nullable(),
  house_id: id.nullable(),
  house_address: z.string().nullable(),
  period: month.nullable(),
  value: readingValue.nullable(),
  replaces_value: readingValue.nullable().meta({ description: "the month's reading this one replaces; null: a new reading" }),
});
export const readingImportRows = z.strictObject({
  items: z.array(readingImportRow),
  next_after: z.int().nullable().meta({ description: "pass as `after` for the next page; null on the last one" }),
});
export type ReadingImportRowsView = z.output<typeof readingImportRows>;
