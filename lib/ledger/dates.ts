import { addMonths, type Month } from "../months";

// Calendar dates as "YYYY-MM-DD" strings, counted in whole days (UTC arithmetic: a date has no
// time of day, so no time zone or daylight change can shift it).

const DAY_MS = 86_400_000;

const toUtc = (date: string): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)));
const fromUtc = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

/** b − a in days ("2024-03-01" − "2024-02-28" = 2 in a leap year). */
export const daysBetween = (a: string, b: string): number => Math.round((toUtc(b) - toUtc(a)) / DAY_MS);

const addDays = (date: string, days: number): string => fromUtc(toUtc(date) + days * DAY_MS);

/** The last day of the month ("2024-02" → "2024-02-29"). */
export const lastDayOfMonth = (month: Month): string => addDays(`${addMonths(month, 1)}-01`, -1);

/** Today's date in the given IANA time zone. */
export function todayIn(timeZone: string, now: Date = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/**
 * When the charge for `month` is due (ЖК РФ ст. 155 ч. 1): the workspace's due day of the next
 * month; a Saturday or Sunday moves it to the next Monday (ГК РФ ст. 193: a time limit ending on
 * a day off ends on the next working day). Public holidays are not moved (out of scope: the
 * production calendar changes every year by decree).
 */
export function chargeDueDate(month: Month, dueDay: number): string {
  const next = addMonths(month, 1);
  const date = `${next}-${String(dueDay).padStart(2, "0")}`;
  const weekday = new Date(toUtc(date)).getUTCDay(); // 0 Sunday … 6 Saturday
  if (weekday === 6) return addDays(date, 2);
  if (weekday === 0) return addDays(date, 1);
  return date;
}
