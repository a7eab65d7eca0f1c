"use client";

import { useTranslations } from "next-intl";
import { memo, type KeyboardEvent } from "react";
import type { NumberFormats } from "@/lib/format";
import { MonthName } from "../ui/month";
import { useNumbers } from "../ui/numbers";
import type { EntryProblem, RowCheck } from "./entry";
import type { ReadingSheetItem } from "@/lib/schemas/responses";

export interface SheetRowProps {
  index: number;
  item: ReadingSheetItem;
  check: RowCheck;
  /** what the input holds */
  text: string;
  /** the row's own problem is shown (left once, or a save was tried, or typing cannot cure it) */
  showProblem: boolean;
  /** the server's refusal of this row at the last save */
  serverError?: string;
  onEdit: (meterId: number, text: string) => void;
  onLeave: (meterId: number) => void;
  onKey: (index: number, event: KeyboardEvent<HTMLInputElement>) => void;
  register: (index: number, input: HTMLInputElement | null) => void;
}

/** One meter of the sheet; memoised so that typing re-renders only its own row of hundreds. */
export const SheetRow = memo(function SheetRow({
  index,
  item,
  check,
  text,
  showProblem,
  serverError,
  onEdit,
  onLeave,
  onKey,
  register,
}: SheetRowProps) {
  const t = useTranslations("readings");
  const services = useTranslations("common.services");
  const numbers = useNumbers();
  const service = services(item.service);
  const inputId = `reading-${item.meter_id}`;
  const problem = showProblem && check.problem ? problemText(t, numbers, check.problem) : undefined;
  const error = serverError ?? problem;
  const unusual = !error && check.unusual;

  return (
    <tr className={`border-t border-slate-100 ${error ? "bg-red-50" : unusual ? "bg-amber-50" : ""}`} data-meter={item.meter_id}>
      <td className="px-3 py-1.5 font-medium tabular-nums">{item.apartment_number}</td>
      <td className="px-3 py-1.5 font-mono text-sm">{item.serial_number}</td>
      <td className="px-3 py-1.5 text-sm">{service}</td>
      <td className="px-3 py-1.5 text-right text-sm">
        {item.previous ? (
          <>
            <span className="tabular-nums">{numbers.reading(item.previous.value)}</span>
            <span className="block text-xs text-slate-600">
              <MonthName month={item.previous.period} />
            </span>
          </>
        ) : (
          <span className="text-slate-600">{t("noPrevious")}</span>
        )}
      </td>
      <td className="min-w-64 px-3 py-1.5 align-top">
        <input
          ref={(el) => register(index, el)}
          id={inputId}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          value={text}
          aria-label={t("inputLabel", {
            apartment: item.apartment_number,
            serial: item.serial_number,
            service: service.toLocaleLowerCase(),
          })}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : unusual ? `${inputId}-unusual` : undefined}
          onChange={(e) => onEdit(item.meter_id, e.target.value)}
          onBlur={() => onLeave(item.meter_id)}
          onKeyDown={(e) => onKey(index, e)}
          onFocus={(e) => e.target.select()}
          className={`w-36 scroll-mt-24 scroll-mb-40 rounded border px-2 py-1 text-right text-base tabular-nums focus:outline-2 focus:outline-brand-600 ${
            error ? "border-red-600" : check.changed ? "border-brand-600 bg-brand-50" : "border-slate-300 bg-white"
          }`}
        />
        {error && (
          <span id={`${inputId}-error`} className="mt-1 block max-w-60 text-sm text-red-800">
            {error}
          </span>
        )}
        {item.next && (
          <span className="mt-0.5 block text-xs text-slate-600">
            {t("nextReading", { value: numbers.reading(item.next.value) })} <MonthName month={item.next.period} />
          </span>
        )}
      </td>
      <td className="min-w-48 px-3 py-1.5 text-right text-sm tabular-nums">
        {check.consumption && !check.problem ? (
          <output htmlFor={inputId} className={check.consumption.isNegative() ? "text-red-800" : undefined}>
            {numbers.reading(check.consumption.toFixed(3))}
          </output>
        ) : check.value && !item.previous ? (
          <span className="text-slate-600">{t("firstReading")}</span>
        ) : (
          <span className="text-slate-500">—</span>
        )}
        {unusual && (
          <span id={`${inputId}-unusual`} className="mt-0.5 block">
            <span className="rounded bg-amber-200 px-1.5 py-0.5 text-xs font-medium text-amber-950">
              {unusual === "zero" ? t("unusual.zero") : t("unusual.high", { factor: 3 })}
            </span>
          </span>
        )}
      </td>
      <td className="px-3 py-1.5 text-right text-sm tabular-nums text-slate-700">
        {item.usual_consumption !== null ? numbers.reading(item.usual_consumption) : "—"}
      </td>
    </tr>
  );
});

type T = ReturnType<typeof useTranslations<"readings">>;

function problemText(t: T, numbers: NumberFormats, problem: EntryProblem): string {
  switch (problem.kind) {
    case "not_a_number":
      return t("problems.notANumber");
    case "negative":
      return t("problems.negative");
    case "too_many_decimals":
      return t("problems.tooManyDecimals", { places: 3 });
    case "too_large":
      return t("problems.tooLarge");
    case "cannot_clear":
      return t("problems.cannotClear");
    case "lower_than_previous":
      return t("problems.lowerThanPrevious", { value: numbers.reading(problem.value) });
    case "higher_than_next":
      return t("problems.higherThanNext", { value: numbers.reading(problem.value) });
  }
}
