"use client";

import { useTranslations } from "next-intl";
import { memo, useLayoutEffect, useRef, type KeyboardEvent } from "react";
import type { NumberFormats } from "@/lib/format";
import type { Suspicion } from "@/lib/readings/suspicious";
import { MonthName } from "../ui/month";
import { useNumbers } from "../ui/numbers";
import type { EntryProblem, RowCheck } from "./entry";
import { ReadingSource } from "./reading-source";
import type { ReadingSheetItem } from "@/lib/schemas/responses";

export interface SheetRowProps {
  /** the item's index in the sheet */
  index: number;
  /** aria-rowindex: the row's place in the (filtered) table, the header being 1 */
  rowIndex: number;
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
  /** the person's role may not enter readings: the value is shown, not editable */
  readOnly: boolean;
}

/**
 * One meter of the sheet; memoised so that typing re-renders only its own row. On a phone the
 * row is a card: apartment, meter and service on top, the previous reading right above the
 * input, so that they stay in view while typing.
 */
export const SheetRow = memo(function SheetRow({
  index,
  rowIndex,
  item,
  check,
  text,
  showProblem,
  serverError,
  onEdit,
  onLeave,
  onKey,
  register,
  readOnly,
}: SheetRowProps) {
  const t = useTranslations("readings");
  const services = useTranslations("common.services");
  const numbers = useNumbers();
  const service = services(item.service);
  const inputId = `reading-${item.meter_id}`;
  const problem = showProblem && check.problem ? problemText(t, numbers, check.problem) : undefined;
  const error = serverError ?? problem;
  const suspicion = !error ? check.suspicion : null;

  // Each row on its own, as React hydrates it (rows may be hydrated after the sheet around them):
  // - what was typed into the server's HTML before is the person's input, taken as typed (React
  //   would otherwise put the rendered value back at the next render);
  // - a focus that happened before reaches React only now (replayed): selecting the input's text
  //   then would let the next key replace what was already typed ("1040,25" saved as "0,25", seen
  //   in a browser test), so a focus selects only when it happened after this.
  const input = useRef<HTMLInputElement | null>(null);
  const hydratedAt = useRef(Number.POSITIVE_INFINITY);
  useLayoutEffect(() => {
    hydratedAt.current = performance.now();
    if (input.current && input.current.value !== text) onEdit(item.meter_id, input.current.value);
    // Once, for the HTML this row was hydrated from (or mounted with).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  return (
    <tr
      aria-rowindex={rowIndex}
      className={`border-t border-slate-100 max-sm:flex max-sm:flex-wrap max-sm:items-baseline max-sm:gap-x-2 max-sm:gap-y-1 max-sm:px-3 max-sm:py-2 ${
        error ? "bg-red-50" : suspicion ? "bg-amber-50" : ""
      }`}
      data-meter={item.meter_id}
    >
      <th
        scope="row"
        data-label={t("columns.apartment")}
        className="px-3 py-1.5 text-left font-medium tabular-nums max-sm:p-0 max-sm:before:mr-1 max-sm:before:content-[attr(data-label)]"
      >
        {item.apartment_number}
      </th>
      <td className="px-3 py-1.5 font-mono text-sm max-sm:p-0">{item.serial_number}</td>
      <td className="px-3 py-1.5 text-sm max-sm:p-0 max-sm:text-slate-600">{service}</td>
      <td
        data-label={t("columns.previous")}
        className="px-3 py-1.5 text-right text-sm max-sm:basis-full max-sm:p-0 max-sm:text-left max-sm:before:mr-1 max-sm:before:text-slate-600 max-sm:before:content-[attr(data-label)':']"
      >
        {item.previous ? (
          <>
            <span className="tabular-nums">{numbers.reading(item.previous.value)}</span>
            <span className="block text-xs text-slate-600 max-sm:ml-1 max-sm:inline">
              <MonthName month={item.previous.period} />
            </span>
          </>
        ) : (
          <span className="text-slate-600">{t("noPrevious")}</span>
        )}
      </td>
      <td className="min-w-64 px-3 py-1.5 align-top max-sm:min-w-0 max-sm:p-0">
        <input
          ref={(el) => {
            input.current = el;
            register(index, el);
          }}
          id={inputId}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          spellCheck={false}
          readOnly={readOnly}
          value={text}
          aria-label={t("inputLabel", {
            apartment: item.apartment_number,
            serial: item.serial_number,
            service: service.toLocaleLowerCase(),
          })}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${inputId}-error` : suspicion ? `${inputId}-unusual` : undefined}
          onChange={(e) => onEdit(item.meter_id, e.target.value)}
          onBlur={() => onLeave(item.meter_id)}
          onKeyDown={(e) => onKey(index, e)}
          onFocus={(e) => {
            if (e.nativeEvent.timeStamp >= hydratedAt.current) e.target.select();
          }}
          // The card's top lines (apartment, meter, previous reading) stay in view above it.
          className={`w-36 scroll-mt-28 scroll-mb-40 rounded border px-2 py-1 text-right text-base tabular-nums focus:outline-2 focus:outline-brand-600 ${
            error ? "border-red-600" : check.changed ? "border-brand-600 bg-brand-50" : "border-slate-300 bg-white"
          }`}
        />
        {error && (
          <span id={`${inputId}-error`} className="mt-1 block max-w-60 text-sm text-red-800">
            {error}
          </span>
        )}
        {item.current && <ReadingSource origin={item.current} className="mt-0.5 block" />}
        {item.next && (
          <span className="mt-0.5 block text-xs text-slate-600">
            {t("nextReading", { value: numbers.reading(item.next.value) })} <MonthName month={item.next.period} />
          </span>
        )}
      </td>
      <td className="min-w-48 px-3 py-1.5 text-right text-sm tabular-nums max-sm:min-w-0 max-sm:p-0 max-sm:text-left">
        {check.consumption && !check.problem ? (
          <output htmlFor={inputId} className={check.consumption.isNegative() ? "text-red-800" : undefined}>
            {numbers.reading(check.consumption.toFixed(3))}
          </output>
        ) : check.value && !item.previous ? (
          <span className="text-slate-600">{t("firstReading")}</span>
        ) : (
          <span className="text-slate-500">—</span>
        )}
        {suspicion && (
          <span id={`${inputId}-unusual`} className="mt-0.5 block">
            <span className="rounded bg-amber-200 px-1.5 py-0.5 text-xs font-medium text-amber-950">
              {suspicion.kind === "zero"
                ? t("unusual.zero", { months: suspicion.months })
                : suspicion.kind === "high"
                  ? t("unusual.high", { expected: numbers.reading(suspicion.expected) })
                  : t("unusual.decrease")}
            </span>
          </span>
        )}
      </td>
      <td className="px-3 py-1.5 text-right text-sm tabular-nums text-slate-700 max-sm:hidden">
        {item.average_use !== null ? numbers.reading(item.average_use) : "—"}
      </td>
    </tr>
  );
});

type T = ReturnType<typeof useTranslations<"readings">>;

/** Why a value is asked about, for the question before saving. */
export function suspicionText(t: T, numbers: NumberFormats, suspicion: Suspicion, value: string): string {
  switch (suspicion.kind) {
    case "high":
      return t("suspicion.high", { value, use: numbers.reading(suspicion.use), expected: numbers.reading(suspicion.expected) });
    case "zero":
      return t("suspicion.zero", { value, months: suspicion.months });
    case "decrease":
      return t("suspicion.decrease", { value, previous: numbers.reading(suspicion.previous) });
  }
}

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
