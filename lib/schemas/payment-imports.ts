import { z } from "zod";
import { PAYMENT_IMPORT_ROW_REASONS, PAYMENT_IMPORT_ROW_STATUSES, PAYMENT_IMPORT_STATUSES } from "../constants";
import { idParam, pagination, text, typeError } from "./common";
import { count, id, money, timestamp } from "./values";

// The import of bank payment registries: upload (the file as the body), mapping, preview, commit.

const workspaceQuery = idParam.optional().meta({ description: "one of the caller's workspaces; default: their own" });

export const uploadQuery = z.strictObject({
  workspace_id: workspaceQuery,
  file_name: text(255).optional().meta({ description: "the file's name, kept to show in the list; default payments.csv" }),
});
export const listImportsQuery = z.strictObject({ workspace_id: workspaceQuery, ...pagination });

/** A column: its 0-based index or its header text. */
const column = z
  .union([z.int().min(0).max(999), z.string().trim().min(1).max(200)], {
    error: typeError("a column index (0-based) or the column's header text"),
  })
  .meta({ description: "a column: its 0-based index, or its header text as the file has it" });

export const mappingBody = z.strictObject({
  account_number: column.meta({ description: "the apartment's account number (лицевой счёт)" }),
  paid_on: column.meta({ description: "the payment date: DD.MM.YYYY, D.M.YY or YYYY-MM-DD (a time after it is ignored)" }),
  amount: column.meta({ description: "the amount in roubles: a decimal comma or point, spaces between thousands, at most 2 decimals" }),
  external_id: column.nullish().meta({ description: "the bank's id of the payment: the same id is never imported twice" }),
  payer: column.nullish().meta({ description: "who paid (cut to 200 characters)" }),
  period: column.nullish().meta({ description: "the month the payment names: MM.YYYY, MM/YYYY, YYYY-MM, MMYYYY or MMYY" }),
});
export type MappingBody = z.output<typeof mappingBody>;

const ROW_CURSOR = /^\d{1,9}$/;
export const rowsQuery = z.strictObject({
  status: z
    .enum(PAYMENT_IMPORT_ROW_STATUSES, { error: typeError(`one of ${PAYMENT_IMPORT_ROW_STATUSES.join(", ")}`) })
    .optional()
    .meta({ description: "only rows with this status" }),
  after: z
    .string()
    .regex(ROW_CURSOR, "must be a line number")
    .transform(Number)
    .optional()
    .meta({ description: "the cursor: rows after this file line (the previous page's next_after)", pattern: ROW_CURSOR.source }),
  limit: z
    .string()
    .regex(/^\d{1,4}$/, "must be a whole number")
    .transform(Number)
    .pipe(z.int().min(1, "must be at least 1").max(1000, "must be at most 1000"))
    .optional()
    .meta({ description: "rows per page, 1–1000, default 100" }),
});

export const rejectedQuery = z.strictObject({
  lang: z
    .enum(["ru", "en"], { error: typeError("one of ru, en") })
    .optional()
    .meta({ description: "the language of the header and the reasons; default ru" }),
});

// ---- answers ----

const columnIndex = z.int().min(0);
const mapping = z
  .strictObject({
    account_number: columnIndex,
    paid_on: columnIndex,
    amount: columnIndex,
    external_id: columnIndex.optional(),
    payer: columnIndex.optional(),
    period: columnIndex.optional(),
  })
  .meta({ description: "field → 0-based column index" });
const partialMapping = mapping.partial();

export const paymentImport = z.strictObject({
  id,
  workspace_id: id,
  file_name: z.string(),
  status: z.enum(PAYMENT_IMPORT_STATUSES),
  encoding: z.string().nullable().meta({ description: "utf-8 or windows-1251, as detected" }),
  delimiter: z.string().nullable().meta({ description: '";", "," or a tab, as detected' }),
  columns: z.array(z.string()).nullable().meta({ description: "the header's columns (null once the file is committed or discarded)" }),
  sample: z.array(z.array(z.string())).meta({ description: "the first lines after the header, as cells (empty once the file is gone)" }),
  suggested_mapping: partialMapping.nullable().meta({
    description: "the workspace's remembered mapping when its columns are in this header, else a guess from the header's names",
  }),
  suggested_from: z.enum(["remembered", "guessed"]).nullable(),
  mapping: mapping.nullable().meta({ description: "the mapping the rows were checked with" }),
  rows_total: count,
  rows_done: count.meta({ description: "rows checked so far (a big file is checked by a background job)" }),
  rows_ok: count,
  rows_error: count,
  rows_duplicate: count,
  percent: z.int().min(0).max(100),
  failure: z.string().nullable(),
  created_at: timestamp,
  committed_at: timestamp.nullable(),
  committed_by_id: id.nullable(),
});
export type PaymentImportView = z.output<typeof paymentImport>;
export const paymentImportList = z.strictObject({ items: z.array(paymentImport), total: count });

const paymentImportRow = z.strictObject({
  line: z.int().min(1).meta({ description: "the file line, 1-based (the header is line 1)" }),
  status: z.enum(PAYMENT_IMPORT_ROW_STATUSES),
  reason: z.enum(PAYMENT_IMPORT_ROW_REASONS).nullable(),
  message: z.string().nullable(),
  raw: z.string().meta({ description: "the line as the file has it" }),
  apartment_id: id.nullable(),
  apartment_number: z.string().nullable(),
  house_id: id.nullable(),
  house_address: z.string().nullable(),
  account_number: z.string().nullable(),
  paid_on: z.string().nullable(),
  amount: money.nullable(),
  external_id: z.string().nullable(),
  payer: z.string().nullable(),
  period: z.string().nullable(),
});
export const paymentImportRows = z.strictObject({
  items: z.array(paymentImportRow),
  next_after: z.int().nullable().meta({ description: "pass as `after` for the next page; null on the last one" }),
});
export type PaymentImportRowsView = z.output<typeof paymentImportRows>;
