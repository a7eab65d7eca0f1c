import { Dec } from "../money";
import { addMonths, type Month } from "../months";

// When a meter reading looks wrong enough to ask before it is used: defined once, here, for
// every place that takes readings (the reading sheet now; the billing check, the import and the
// residents' page later). Pure: readings in, a verdict out. Values are m³ decimal strings.
//
// A reading is suspicious when
// - the use since the previous reading is more than 3× the meter's average monthly use over its
//   last 6 months (times the months since that reading) and at least 5 m³ more than that, or
// - it is lower than the previous reading (a meter only counts up), or
// - it makes a third month in a row with no use at all.

/** How many months back the average monthly use looks. */
export const AVERAGE_MONTHS = 6;
/** Use above this many times the average is suspicious … */
const HIGH_FACTOR = 3;
/** … when it is also at least this many m³ above the average. */
const HIGH_MARGIN_M3 = 5;
/** The zero-use month that is suspicious: the third in a row. */
const ZERO_MONTHS_IN_A_ROW = 3;

export interface Reading {
  period: Month;
  /** m³ */
  value: string;
}

/** What the rule needs to know of a meter's past before a month. */
export interface MeterHistory {
  /** the latest reading before the month */
  previous: Reading | null;
  /** average use per month over the last 6 months (m³, 3 decimals); null with too little history */
  averageUse: string | null;
  /** months in a row right before the month with no use (0 when the last month had some) */
  zeroMonths: number;
}

export type Suspicion =
  { kind: "high"; use: string; expected: string } | { kind: "decrease"; previous: string } | { kind: "zero"; months: number };

const monthsBetween = (from: Month, to: Month) => {
  const [fy, fm] = from.split("-").map(Number);
  const [ty, tm] = to.split("-").map(Number);
  return (ty - fy) * 12 + (tm - fm);
};

/**
 * A meter's history before `month` from its readings (any order, any months; those of `month`
 * and later are ignored). The average runs from the earliest reading of the 7 months before
 * `month` to the latest one, per month between them; a streak of zero use counts months whose
 * reading equals the month before's, back from the month before `month`.
 */
export function meterHistory(readings: readonly Reading[], month: Month): MeterHistory {
  // YYYY-MM sorts as text: a plain comparison, not localeCompare (an import checks 100,000 of these)
  const before = readings.filter((r) => r.period < month).sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  const previous = before.at(-1) ?? null;
  const windowStart = addMonths(month, -(AVERAGE_MONTHS + 1));
  const window = before.filter((r) => r.period >= windowStart);
  let averageUse: string | null = null;
  if (window.length >= 2) {
    const first = window[0];
    const last = window[window.length - 1];
    averageUse = new Dec(last.value).minus(first.value).div(monthsBetween(first.period, last.period)).toFixed(3);
  }
  let zeroMonths = 0;
  for (let i = before.length - 1; i > 0; i--) {
    const [earlier, later] = [before[i - 1], before[i]];
    if (later.period !== addMonths(month, -1 - zeroMonths)) break;
    if (monthsBetween(earlier.period, later.period) !== 1 || !new Dec(later.value).eq(earlier.value)) break;
    zeroMonths++;
  }
  return { previous, averageUse, zeroMonths };
}

/** Is `value` for `month` suspicious, given the meter's history before it? null when not. */
export function suspiciousReading(history: MeterHistory, month: Month, value: string): Suspicion | null {
  const { previous } = history;
  if (!previous) return null;
  const use = new Dec(value).minus(previous.value);
  if (use.isNegative()) return { kind: "decrease", previous: previous.value };
  if (use.isZero()) {
    // The streak only continues into a month right after the last reading.
    const months = monthsBetween(previous.period, month) === 1 ? history.zeroMonths + 1 : 1;
    return months >= ZERO_MONTHS_IN_A_ROW ? { kind: "zero", months } : null;
  }
  if (history.averageUse === null) return null;
  const expected = new Dec(history.averageUse).times(monthsBetween(previous.period, month));
  if (use.gt(expected.times(HIGH_FACTOR)) && use.minus(expected).gte(HIGH_MARGIN_M3)) {
    return { kind: "high", use: use.toFixed(3), expected: expected.toFixed(3) };
  }
  return null;
}
