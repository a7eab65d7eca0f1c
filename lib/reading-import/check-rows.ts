import type { ImportRowValues, ReadingContext, WorkspaceMeter } from "../../db/queries/reading-imports";
import type { MeterService, ReadingImportRowReason, ReadingImportRowStatus } from "../constants";
import { parseDate, parsePeriod } from "../file-import/cells";
import { normalise } from "../file-import/mapping";
import type { FileRecord } from "../file-import/read-file";
import { dateToMonth } from "../months";
import { meterHistory, suspiciousReading } from "../readings/suspicious";
import { readingOrderError } from "../registry/readings";
import type { StoredMapping } from "./mapping";

// Each line of a readings file checked (pure), in two passes: what the line itself says (its
// value, its month, its meter) against the workspace's register; then, with the meters' readings
// around each month from one query (db/queries/reading-imports.ts readingContexts), the order of
// the readings and whether the value is suspicious. A line's reading is checked against the
// readings already stored and against the file's earlier lines that will be imported for other
// months of the same meter (a meter only counts up, whichever order the file lists its months in).

/** A checked line, as reading_import_row keeps it: its reason one of the import's. */
export interface CheckedRow extends ImportRowValues {
  reason: ReadingImportRowReason | null;
}

/** The workspace's register, as the first pass looks things up. */
export interface Register {
  /** serial number → meter */
  bySerial: Map<string, WorkspaceMeter>;
  /** `${apartmentId}:${service}` → its meters */
  byApartment: Map<string, WorkspaceMeter[]>;
  /** account number → apartment id (lib/file-import/cells.ts accountIndex) */
  accounts: Map<string, number>;
  /** apartment number → apartment id, in the import's house */
  numbers: Map<string, number>;
  /** house id → its latest posted month (YYYY-MM-01) */
  closed: Map<number, string>;
}

export interface CheckOptions {
  mapping: StoredMapping;
  register: Register;
  /** the month chosen on upload (YYYY-MM-01), for lines without one */
  period: string | null;
  /** the current month, YYYY-MM-01: a later one is an error */
  current: string;
}

const MAX_DECIMALS = 3;
/** numeric(12, 3) below 1e9 (meter_reading_value_range) */
const MAX_WHOLE_DIGITS = 9;
const VALUE = /^([-+]?)(\d+)(?:\.(\d*))?$/;

/** The value as m³ with 3 decimals, or why not: "1 234,5", "1234.500", "0012". */
export function parseReading(text: string): { value: string } | { reason: "value_invalid" | "value_too_precise" | "value_out_of_range" } {
  const match = VALUE.exec(text.replace(/[\s\u00a0\u202f']/g, "").replace(",", "."));
  if (!match) return { reason: "value_invalid" };
  const fraction = (match[3] ?? "").replace(/0+$/, "");
  if (fraction.length > MAX_DECIMALS) return { reason: "value_too_precise" };
  const whole = match[2].replace(/^0+(?=\d)/, "");
  const zero = whole === "0" && fraction === "";
  if ((match[1] === "-" && !zero) || whole.length > MAX_WHOLE_DIGITS) return { reason: "value_out_of_range" };
  return { value: `${whole}.${fraction.padEnd(MAX_DECIMALS, "0")}` };
}

/** The month a cell names: MM.YYYY, YYYY-MM, MMYYYY … or a date in it (DD.MM.YYYY, YYYY-MM-DD: an Excel date cell). */
export const parseMonth = (text: string): string | null => parsePeriod(text) ?? parseDate(text)?.replace(/-\d\d$/, "-01") ?? null;

/** The service a cell names: ХВС / холодная вода / cold water, ГВС / горячая вода / hot water. */
export function parseService(text: string): MeterService | null {
  const name = normalise(text);
  if (/^(хвс|х в с|хол|cold|cw)/.test(name)) return "cold_water";
  if (/^(гвс|г в с|гор|hot|hw)/.test(name)) return "hot_water";
  return null;
}

function mark(
  row: CheckedRow,
  status: ReadingImportRowStatus,
  reason: ReadingImportRowReason,
  message: string,
  params: CheckedRow["params"] = {},
) {
  return Object.assign(row, { status, reason, message, params });
}

/** The first pass: every line on its own, against the register. A line that passes is ok with its meter, month and value. */
export function checkLines(records: FileRecord[], options: CheckOptions): CheckedRow[] {
  const columns = Object.values(options.mapping.columns);
  const needed = Math.max(...columns.map((i) => i + 1));
  return records.map((record) => checkLine(record, options, needed));
}

function checkLine(record: FileRecord, { mapping, register, period, current }: CheckOptions, needed: number): CheckedRow {
  const { columns } = mapping;
  const cell = (index: number | undefined) => (index === undefined ? "" : (record.cells[index] ?? "").trim());
  const row: CheckedRow = {
    line: record.line,
    status: "ok",
    reason: null,
    params: null,
    message: null,
    raw: record.raw,
    meterId: null,
    apartmentId: null,
    period: null,
    value: null,
    replacesValue: null,
  };
  if (record.cells.length < needed) {
    return mark(row, "error", "columns_missing", `the line has ${record.cells.length} columns; the mapping uses ${needed}`, {
      columns: record.cells.length,
      needed,
    });
  }
  const fields = [
    "value",
    ...(["serial_number", "account_number", "apartment_number", "service"] as const).filter((f) => columns[f] !== undefined),
  ];
  for (const field of fields as (keyof typeof columns)[]) {
    if (cell(columns[field]) === "") return mark(row, "error", "value_missing", `${field} is empty`, { column: field });
  }

  const text = cell(columns.value);
  const parsed = parseReading(text);
  if ("reason" in parsed) {
    const why = {
      value_invalid: "is not a number",
      value_too_precise: "has more than 3 decimals",
      value_out_of_range: "is negative or 1e9 or more",
    };
    return mark(row, "error", parsed.reason, `the value "${text}" ${why[parsed.reason]}`, { value: text });
  }
  row.value = parsed.value;

  const monthText = cell(columns.period);
  if (monthText !== "") {
    row.period = parseMonth(monthText);
    if (!row.period)
      return mark(row, "error", "period_invalid", `the month "${monthText}" is not MM.YYYY or YYYY-MM`, { value: monthText });
  } else row.period = period;
  if (!row.period) return mark(row, "error", "period_missing", "the line names no month and none was chosen for the file");

  const meter = findMeter(row, cell, mapping, register);
  if (!meter) return row;
  row.meterId = meter.id;
  row.apartmentId = meter.apartmentId;

  const month = dateToMonth(row.period);
  if (row.period > current) {
    return mark(row, "error", "period_in_future", `the month ${month} is after the current one`, {
      period: month,
      current: dateToMonth(current),
    });
  }
  const closed = register.closed.get(meter.houseId);
  if (closed && row.period <= closed) return mark(row, "error", "month_closed", `the house has posted ${month}`, { period: month });
  return row;
}

/** The line's meter, or the line marked with why there is none. */
function findMeter(
  row: CheckedRow,
  cell: (index: number | undefined) => string,
  { columns }: StoredMapping,
  register: Register,
): WorkspaceMeter | null {
  if (columns.serial_number !== undefined) {
    const serial = cell(columns.serial_number);
    const meter = register.bySerial.get(serial);
    if (!meter) mark(row, "error", "meter_unknown", `no meter has the serial number ${serial}`, { serial_number: serial });
    return meter ?? null;
  }
  const serviceText = cell(columns.service);
  const service = parseService(serviceText);
  if (!service) {
    mark(row, "error", "service_unknown", `the service "${serviceText}" is neither cold nor hot water`, { value: serviceText });
    return null;
  }
  const byAccount = columns.account_number !== undefined;
  const apartmentText = cell(byAccount ? columns.account_number : columns.apartment_number);
  const apartmentId = byAccount
    ? (register.accounts.get(apartmentText) ?? register.accounts.get(apartmentText.replace(/^0+(?=.)/, "")))
    : register.numbers.get(apartmentText);
  if (apartmentId === undefined) {
    mark(row, "error", "apartment_unknown", `no apartment has the ${byAccount ? "account number" : "number"} ${apartmentText}`, {
      apartment: apartmentText,
    });
    return null;
  }
  row.apartmentId = apartmentId;
  const meters = register.byApartment.get(`${apartmentId}:${service}`) ?? [];
  if (meters.length === 0) {
    mark(row, "error", "meter_unknown", `apartment ${apartmentText} has no ${service} meter`, { apartment: apartmentText, service });
    return null;
  }
  if (meters.length > 1) {
    const params = { apartment: apartmentText, service, count: meters.length };
    mark(
      row,
      "error",
      "meter_ambiguous",
      `apartment ${apartmentText} has ${meters.length} ${service} meters: map the serial number`,
      params,
    );
    return null;
  }
  return meters[0];
}

/** The (meter, month) pairs whose readings the second pass needs. */
export const contextPairs = (rows: CheckedRow[]): [number, string][] =>
  rows.filter((r) => r.status === "ok").map((r) => [r.meterId!, r.period!]);

/**
 * The second pass, in file order: a meter's month repeated (after an earlier line that will be
 * imported), the readings' order, a suspicious value (a warning).
 */
export function checkReadings(rows: CheckedRow[], contexts: Map<string, ReadingContext>): CheckedRow[] {
  const seen = new Map<string, number>();
  /** meter → the months the file will import so far */
  const taken = new Map<number, Reading[]>();
  for (const row of rows) {
    if (row.status !== "ok") continue;
    const key = `${row.meterId}:${row.period}`;
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      mark(row, "error", "repeated_in_file", `line ${earlier} of the file sets the same meter's reading of the same month`, {
        line: earlier,
      });
      continue;
    }
    const context = contexts.get(key)!;
    row.replacesValue = context.current;
    const around = neighbours(context, taken.get(row.meterId!) ?? [], row.period!);
    const order = readingOrderError(row.value!, around);
    if (order) {
      mark(
        row,
        "error",
        order.reason as "reading_below_previous" | "reading_above_next",
        order.message,
        order.params as CheckedRow["params"],
      );
      continue;
    }
    seen.set(key, row.line);
    taken.set(row.meterId!, [...(taken.get(row.meterId!) ?? []), { period: row.period!, value: row.value! }]);
    const { previous } = around;
    const month = dateToMonth(row.period!);
    const history = meterHistory(
      context.recent.map(([period, v]) => ({ period, value: v })),
      month,
    );
    history.previous = previous ? { period: dateToMonth(previous.period), value: previous.value } : null;
    const suspicion = suspiciousReading(history, month, row.value!);
    if (suspicion?.kind === "high") {
      mark(row, "warning", "suspicious_jump", `the use ${suspicion.use} m³ is far above the usual ${suspicion.expected} m³`, {
        use: suspicion.use,
        expected: suspicion.expected,
      });
    } else if (suspicion?.kind === "zero") {
      mark(row, "warning", "suspicious_zero", `no use for ${suspicion.months} months in a row`, { months: suspicion.months });
    }
  }
  return rows;
}

type Reading = { period: string; value: string };

/**
 * The readings next to a month: the stored ones, or the file's own lines for the meter's other
 * months where those are nearer (the latest before, the earliest after). Months are YYYY-MM-01.
 */
function neighbours(context: ReadingContext, fileReadings: Reading[], period: string): { previous: Reading | null; next: Reading | null } {
  let { previous, next } = context;
  for (const reading of fileReadings) {
    if (reading.period < period && (!previous || reading.period > previous.period)) previous = reading;
    if (reading.period > period && (!next || reading.period < next.period)) next = reading;
  }
  return { previous, next };
}
