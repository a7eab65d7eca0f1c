"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { addMonths, MONTH_PATTERN } from "@/lib/months";
import { secondaryButtonClass } from "../ui/field";

/**
 * The sheet's month: a month input with buttons for the month before and after. A typed month
 * is taken once it is complete (the input reports "0002-05" on the way to "2024-05").
 * `onChange` answers false when it refused the change.
 */
export function PeriodPicker({ value, max, onChange }: { value: string; max: string; onChange: (month: string) => boolean }) {
  const t = useTranslations("readings");
  const [typed, setTyped] = useState(value);
  const [shown, setShown] = useState(value);
  if (shown !== value) {
    // Navigated (or the change was refused): show the page's month again.
    setShown(value);
    setTyped(value);
  }
  const valid = (m: string) => MONTH_PATTERN.test(m) && m >= "1900-01" && m <= max;
  return (
    <div className="flex items-end gap-2">
      <button
        type="button"
        className={secondaryButtonClass}
        aria-label={t("previousMonth")}
        onClick={() => onChange(addMonths(value, -1))}
        disabled={!valid(value)}
      >
        ‹
      </button>
      <label className="flex flex-col text-sm">
        <span className="mb-1 text-slate-700">{t("period")}</span>
        <input
          type="month"
          value={typed}
          max={max}
          min="1900-01"
          onChange={(e) => {
            const month = e.target.value;
            // A refused change (unsaved readings kept) puts the page's month back.
            setTyped(valid(month) && month !== value && !onChange(month) ? value : month);
          }}
          onBlur={() => setTyped(value)}
          className="rounded border border-slate-300 bg-white px-3 py-1.5 text-base focus:outline-2 focus:outline-brand-600"
        />
      </label>
      <button
        type="button"
        className={secondaryButtonClass}
        aria-label={t("nextMonth")}
        onClick={() => onChange(addMonths(value, 1))}
        disabled={!valid(value) || value >= max}
      >
        ›
      </button>
    </div>
  );
}
