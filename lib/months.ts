/** A calendar month as "YYYY-MM"; stored in PostgreSQL as its first day. */
export type Month = string;

export const MONTH_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

export function monthToDate(month: Month): string {
  return `${month}-01`;
}

/** "2024-05-01" (or a longer timestamp) → "2024-05". */
export function dateToMonth(date: string): Month {
  return date.slice(0, 7);
}

/** The current month in the given IANA time zone. */
export function currentMonth(timeZone: string, now: Date = new Date()): Month {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit" }).formatToParts(now);
  const year = parts.find((p) => p.type === "year")?.value;
  const month = parts.find((p) => p.type === "month")?.value;
  return `${year}-${month}`;
}

export function addMonths(month: Month, delta: number): Month {
  const [y, m] = month.split("-").map(Number);
  const index = y * 12 + (m - 1) + delta;
  return `${String(Math.floor(index / 12)).padStart(4, "0")}-${String((index % 12) + 1).padStart(2, "0")}`;
}

/** The earliest month the API takes (lib/schemas/common.ts `month`). */
const FIRST_MONTH: Month = "1900-01";

export type MonthChoice = { kind: "ok"; month: Month } | { kind: "future"; month: Month } | { kind: "invalid"; raw: string };

/**
 * A month from a page's address, judged against the current month: readings and bills exist up
 * to the current month, so a later one is "future"; anything that is not a month is "invalid".
 */
export function judgeMonth(raw: string, current: Month): MonthChoice {
  if (!MONTH_PATTERN.test(raw) || raw < FIRST_MONTH) return { kind: "invalid", raw };
  return raw > current ? { kind: "future", month: raw } : { kind: "ok", month: raw };
}
