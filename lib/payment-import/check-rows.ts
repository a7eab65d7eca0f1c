import type { PaymentImportRowReason, PaymentImportRowStatus } from "../constants";
import type { ImportRowValues } from "../../db/queries/payment-imports";
import type { ColumnMapping } from "./mapping";
import { parseDate, parsePeriod } from "../file-import/cells";
import type { FileRecord } from "../file-import/read-file";

// Each line of a registry checked on its own (pure): what it pays and to whom, or why not.
// The apartments are looked up by account number; external ids already paid in the workspace
// come from one query (db/queries/payment-imports.ts knownExternalIds).

/** A checked line, as payment_import_row keeps it: its reason one of the import's. */
export interface CheckedRow extends ImportRowValues {
  reason: PaymentImportRowReason | null;
}

export interface CheckOptions {
  mapping: ColumnMapping;
  /** account number → apartment id, in the workspace */
  accounts: Map<string, number>;
  /** external ids of payments already in the workspace's accounts */
  paidExternalIds: Set<string>;
  /** YYYY-MM-DD in the app's time zone: a payment after it is an error */
  today: string;
}

/** numeric(14, 2): at most 12 digits before the point */
const MAX_WHOLE_DIGITS = 12;
const EXTERNAL_ID_MAX = 100;
const PAYER_MAX = 200;
const ACCOUNT_MAX = 40;

const AMOUNT = /^([-+]?)(\d+)(?:\.(\d{1,2}))?$/;

/**
 * An amount as banks write it: "1 234,50", "1234.5", "1\u00a0234,50 "; null: not a number or
 * more than 2 decimals. Returned with exactly 2 decimals, sign kept. Exact string work, no
 * arithmetic (a hundred thousand lines are read per file).
 */
export function parseAmount(value: string): string | null {
  const match = AMOUNT.exec(value.replace(/[\s\u00a0\u202f']/g, "").replace(",", "."));
  if (!match) return null;
  const whole = match[2].replace(/^0+(?=\d)/, "");
  const cents = (match[3] ?? "").padEnd(2, "0");
  const zero = whole === "0" && cents === "00";
  return `${match[1] === "-" && !zero ? "-" : ""}${whole}.${cents}`;
}

/** Checks every record, in file order; a repeated external id is a duplicate of its first good line. */
export function checkRows(records: FileRecord[], options: CheckOptions): CheckedRow[] {
  const seen = new Map<string, number>();
  const needed = Math.max(...Object.values(options.mapping).map((i) => i + 1));
  return records.map((record) => {
    const row = checkRow(record, options, needed);
    if (row.status === "ok" && row.externalId !== null) {
      const earlier = seen.get(row.externalId);
      if (earlier !== undefined) {
        return mark(row, "duplicate", "repeated_in_file", `line ${earlier} of the file has the same external id`);
      }
      seen.set(row.externalId, row.line);
      if (options.paidExternalIds.has(row.externalId)) {
        return mark(row, "duplicate", "already_imported", `a payment with external id ${row.externalId} is already recorded`);
      }
    }
    return row;
  });
}

function mark(row: CheckedRow, status: PaymentImportRowStatus, reason: PaymentImportRowReason, message: string): CheckedRow {
  return { ...row, status, reason, message };
}

function checkRow(record: FileRecord, { mapping, accounts, today }: CheckOptions, needed: number): CheckedRow {
  const cell = (index: number | undefined) => (index === undefined ? "" : (record.cells[index] ?? "").trim());
  const row: CheckedRow = {
    line: record.line,
    status: "ok",
    reason: null,
    message: null,
    raw: record.raw,
    apartmentId: null,
    accountNumber: null,
    paidOn: null,
    amount: null,
    externalId: null,
    payer: null,
    period: null,
  };
  const fail = (reason: PaymentImportRowReason, message: string) => mark(row, "error", reason, message);

  const account = cell(mapping.account_number);
  row.accountNumber = account.slice(0, ACCOUNT_MAX) || null;
  row.payer = cell(mapping.payer).slice(0, PAYER_MAX) || null;
  const externalId = cell(mapping.external_id);
  row.externalId = externalId.slice(0, EXTERNAL_ID_MAX) || null;
  if (record.cells.length < needed) {
    return fail("columns_missing", `the line has ${record.cells.length} columns; the mapping uses ${needed}`);
  }
  for (const field of ["account_number", "paid_on", "amount"] as const) {
    if (cell(mapping[field]) === "") return fail("value_missing", `${field} is empty`);
  }

  const paidOn = parseDate(cell(mapping.paid_on));
  if (!paidOn) return fail("date_invalid", `the date "${cell(mapping.paid_on)}" is not DD.MM.YYYY or YYYY-MM-DD`);
  row.paidOn = paidOn;
  if (paidOn > today) return fail("date_in_future", `the date ${paidOn} is in the future`);

  const rawAmount = cell(mapping.amount);
  const amount = parseAmount(rawAmount);
  if (amount === null || amount.replace("-", "").indexOf(".") > MAX_WHOLE_DIGITS) {
    return fail("amount_invalid", `the amount "${rawAmount}" is not a sum in roubles with at most 2 decimals`);
  }
  row.amount = amount;
  if (amount.startsWith("-") || amount === "0.00") return fail("amount_not_positive", `the amount ${amount} is not above zero`);

  if (mapping.period !== undefined && cell(mapping.period) !== "") {
    const period = parsePeriod(cell(mapping.period));
    if (!period) return fail("period_invalid", `the month "${cell(mapping.period)}" is not MM.YYYY or YYYY-MM`);
    row.period = period;
  }
  if (externalId.length > EXTERNAL_ID_MAX) {
    return fail("external_id_too_long", `the external id is longer than ${EXTERNAL_ID_MAX} characters`);
  }

  const apartmentId = accounts.get(account) ?? accounts.get(account.replace(/^0+(?=.)/, ""));
  if (apartmentId === undefined) return fail("account_unknown", `no apartment has the account number ${account}`);
  row.apartmentId = apartmentId;
  return row;
}
