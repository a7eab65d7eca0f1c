"use client";

import { useFormatter } from "next-intl";

/** "2024-05" → "май 2024" / "May 2024" */
export function MonthName({ month }: { month: string }) {
  const format = useFormatter();
  const [y, m] = month.split("-").map(Number);
  return <>{format.dateTime(new Date(Date.UTC(y, m - 1, 15)), { year: "numeric", month: "long", timeZone: "UTC" })}</>;
}

/** A month page's heading: "Показания счётчиков · май 2024"; without the month when the address names none. */
export function MonthHeading({ id, title, month }: { id: string; title: string; month: string | null }) {
  return (
    <h1 id={id} className="text-2xl font-semibold">
      {title}
      {month !== null && (
        <>
          {" · "}
          <MonthName month={month} />
        </>
      )}
    </h1>
  );
}
