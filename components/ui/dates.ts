"use client";

import { useFormatter } from "next-intl";
import { useMemo } from "react";

/**
 * Month and date labels as plain functions, made once per render tree: a list of hundreds of
 * rows calls them without a hook (or a component) per row.
 */
export function useDateLabels() {
  const format = useFormatter();
  return useMemo(
    () => ({
      /** "2024-05" → "май 2024 г." / "May 2024" */
      month: (month: string) => {
        const [y, m] = month.split("-").map(Number);
        return format.dateTime(new Date(Date.UTC(y, m - 1, 15)), { year: "numeric", month: "long", timeZone: "UTC" });
      },
      /** "2024-05" → "май 24" / "May 24", for chart axes */
      shortMonth: (month: string) => {
        const [y, m] = month.split("-").map(Number);
        return format.dateTime(new Date(Date.UTC(y, m - 1, 15)), { year: "2-digit", month: "short", timeZone: "UTC" });
      },
      /** "2024-05" → "1 мая 2024 г." / "May 1, 2024": after "с"/"from", where Russian needs the genitive */
      monthStart: (month: string) => {
        const [y, m] = month.split("-").map(Number);
        return format.dateTime(new Date(Date.UTC(y, m - 1, 1, 12)), { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
      },
      /** "2023-01-15" → "15.01.2023" / "01/15/2023" */
      date: (date: string) =>
        format.dateTime(new Date(`${date}T12:00:00Z`), { day: "2-digit", month: "2-digit", year: "numeric", timeZone: "UTC" }),
      /** an ISO timestamp in the app's time zone */
      dateTime: (iso: string) => format.dateTime(new Date(iso), { dateStyle: "short", timeStyle: "short" }),
    }),
    [format],
  );
}

export type DateLabels = ReturnType<typeof useDateLabels>;
