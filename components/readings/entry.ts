import { Dec } from "@/lib/money";
import { suspiciousReading, type Suspicion } from "@/lib/readings/suspicious";
import type { ReadingSheetItem } from "@/lib/schemas/responses";

// The rules of one row of the reading sheet, kept free of React so that they can be tested on
// their own. Values are m³ with at most 3 decimals, always handled as exact decimals.

const MAX_PLACES = 3;
/** The column's upper bound (numeric(12,3)), the same as the API's. */
const MAX_VALUE = new Dec("1000000000");

export type EntryProblem =
  | { kind: "not_a_number" }
  | { kind: "negative" }
  | { kind: "too_many_decimals" }
  | { kind: "too_large" }
  | { kind: "lower_than_previous"; value: string; period: string }
  | { kind: "higher_than_next"; value: string; period: string }
  | { kind: "cannot_clear" };

/** Problems that more typing cannot cure: shown at once rather than when the row is left. */
export const isFormatProblem = (p: EntryProblem) => p.kind !== "lower_than_previous" && p.kind !== "higher_than_next";

export type ParsedEntry = { kind: "empty" } | { kind: "value"; value: Dec; text: string } | { kind: "invalid"; problem: EntryProblem };

/**
 * What a manager typed, read the forgiving way: spaces (also thin and no-break ones, as in
 * "1 234,5") are dropped and a decimal comma counts as a point.
 */
export function parseEntry(input: string): ParsedEntry {
  const text = input.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  if (text === "") return { kind: "empty" };
  if (/^[-−]\d*\.?\d+$|^[-−]\d+\.$/.test(text)) return { kind: "invalid", problem: { kind: "negative" } };
  if (!/^(\d+\.?\d*|\.\d+)$/.test(text)) return { kind: "invalid", problem: { kind: "not_a_number" } };
  const value = new Dec(text);
  if (value.decimalPlaces() > MAX_PLACES) return { kind: "invalid", problem: { kind: "too_many_decimals" } };
  if (value.gte(MAX_VALUE)) return { kind: "invalid", problem: { kind: "too_large" } };
  return { kind: "value", value, text: value.toFixed() };
}

export interface RowCheck {
  /** the row's value (typed, else the month's saved reading) */
  value: Dec | null;
  /** m³ since the previous reading; null without both */
  consumption: Dec | null;
  /** to be sent: typed and different from the saved reading */
  changed: boolean;
  problem: EntryProblem | null;
  /** the value looks wrong (lib/readings/suspicious.ts): highlighted, and asked about before it is saved */
  suspicion: Suspicion | null;
}

/** The row of `period` as it stands with `typed` in its input (undefined: untouched, showing the saved reading). */
export function checkRow(item: ReadingSheetItem, typed: string | undefined, period: string): RowCheck {
  const saved = item.current ? new Dec(item.current.value) : null;
  let value: Dec | null = saved;
  let changed = false;
  let problem: EntryProblem | null = null;

  if (typed !== undefined) {
    const parsed = parseEntry(typed);
    if (parsed.kind === "empty") {
      value = null;
      // The bulk save cannot delete a reading: say so rather than silently keep it.
      if (saved) {
        changed = true;
        problem = { kind: "cannot_clear" };
      }
    } else if (parsed.kind === "invalid") {
      value = null;
      changed = true;
      problem = parsed.problem;
    } else {
      value = parsed.value;
      changed = !saved || !saved.eq(parsed.value);
      if (changed) problem = orderProblem(item, parsed.value);
    }
  }

  const consumption = value && item.previous ? value.minus(item.previous.value) : null;
  const suspicion =
    value && !problem
      ? suspiciousReading({ previous: item.previous, averageUse: item.average_use, zeroMonths: item.zero_months }, period, value.toFixed())
      : null;
  return { value, consumption, changed, problem, suspicion };
}

/** Meters only count up: the value may not be below the reading before nor above the one after. */
function orderProblem(item: ReadingSheetItem, value: Dec): EntryProblem | null {
  if (item.previous && value.lt(item.previous.value)) return { kind: "lower_than_previous", ...item.previous };
  if (item.next && value.gt(item.next.value)) return { kind: "higher_than_next", ...item.next };
  return null;
}

/** The value to send for a row that passed checkRow. */
export function valueToSend(typed: string): string {
  const parsed = parseEntry(typed);
  if (parsed.kind !== "value") throw new Error(`not a value: ${typed}`);
  return parsed.text;
}
