"use client";

import { useTranslations } from "next-intl";
import { memo, useCallback, useDeferredValue, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { NumberFormats } from "@/lib/format";
import { Field } from "../ui/field";
import { useNumbers } from "../ui/numbers";
import { Spacer } from "../ui/spacer";
import { useWindowRows } from "../ui/virtual";
import { FlagList } from "./flags";
import { OpenedInvoice } from "./invoice-lines";
import type { HouseInvoiceSummaries, InvoiceSummary } from "@/lib/schemas/responses";

const SEARCH_ID = "invoice-search";

/** Desktop: a table row; phone: a card with the apartment and its total on top. */
const ROW = "border-t border-slate-100 max-sm:grid max-sm:grid-cols-2 max-sm:items-baseline max-sm:gap-x-3 max-sm:px-3 max-sm:py-2";
const AMOUNT = "px-4 py-2 text-right tabular-nums max-sm:p-0";
/**
 * An amount with its label on a phone, a line of its own: "Вода … 632,49 ₽" (two to a line cut
 * "Содержание 4 767,26 ₽" off at the card's edge at 390 px).
 */
const CELL = `${AMOUNT} max-sm:col-span-2 max-sm:flex max-sm:justify-between max-sm:gap-x-3 max-sm:before:text-slate-600 max-sm:before:content-[attr(data-label)]`;
/** On a phone's card the total sits at the top right, beside the apartment. */
const TOTAL = `${AMOUNT} max-sm:col-start-2 max-sm:row-start-1`;

/**
 * The month's invoices with the house totals; a row opens to the lines that make it up. A house
 * may have a thousand: only the rows on screen are drawn, opening one re-renders only that one,
 * and a search finds an apartment.
 */
export function InvoiceTable({ data }: { data: HouseInvoiceSummaries }) {
  const t = useTranslations("billing.invoices");
  const numbers = useNumbers();
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const [search, setSearch] = useState("");
  const [onlyFlagged, setOnlyFlagged] = useState(false);
  const query = useDeferredValue(search.trim().toLowerCase());
  const listRef = useRef<HTMLTableElement>(null);
  // The list is in the server's HTML: what was typed into its search before the scripts ran is
  // taken as typed (React would otherwise put the empty value back).
  useLayoutEffect(() => {
    // Once, from the DOM the server sent (not a value React could have known).
    const typed = (document.getElementById(SEARCH_ID) as HTMLInputElement | null)?.value;
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (typed) setSearch(typed);
  }, []);
  const toggle = useCallback(
    (id: number) =>
      setOpen((current) => {
        const next = new Set(current);
        if (!next.delete(id)) next.add(id);
        return next;
      }),
    [],
  );
  const flagged = useMemo(() => data.items.filter((i) => i.flags.length > 0).length, [data.items]);
  const shown = useMemo(
    () => data.items.filter((i) => (!query || i.apartment_number.toLowerCase() === query) && (!onlyFlagged || i.flags.length > 0)),
    [data.items, query, onlyFlagged],
  );
  const rows = useWindowRows(listRef, shown.length, { estimate: 44 });
  const labels = useMemo(
    () => ({
      water: t("columns.water"),
      maintenance: t("columns.maintenance"),
      total: t("columns.total"),
      apartment: (number: string) => t("apartment", { number }),
    }),
    [t],
  );

  return (
    <div className="space-y-2">
      {flagged > 0 && <p className="rounded bg-amber-50 p-3 text-amber-900">{t("flaggedNote", { count: flagged })}</p>}
      <div className="flex flex-wrap items-end gap-x-6 gap-y-2">
        <Field
          id={SEARCH_ID}
          type="search"
          label={t("search")}
          autoComplete="off"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
        {flagged > 0 && (
          <label className="flex items-center gap-2 pb-2 text-sm text-slate-700">
            <input type="checkbox" checked={onlyFlagged} onChange={(e) => setOnlyFlagged(e.target.checked)} className="size-4" />
            {t("onlyFlagged")}
          </label>
        )}
        <p className="pb-2 text-sm text-slate-600" aria-live="polite">
          {shown.length !== data.items.length ? t("shown", { shown: shown.length, total: data.items.length }) : ""}
        </p>
      </div>
      <div className="rounded-lg bg-white shadow-sm">
        <table ref={listRef} className="w-full text-left max-sm:block" aria-rowcount={shown.length + 2}>
          <caption className="sr-only">{t("caption")}</caption>
          <thead className="bg-slate-100 text-sm text-slate-700 max-sm:sr-only">
            <tr aria-rowindex={1}>
              <th scope="col" className="px-4 py-2">
                {t("columns.apartment")}
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                {t("columns.water")}
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                {t("columns.maintenance")}
              </th>
              <th scope="col" className="px-4 py-2 text-right">
                {t("columns.total")}
              </th>
              <th scope="col" className="px-4 py-2">
                {t("columns.flags")}
              </th>
            </tr>
          </thead>
          <Spacer height={rows.before} columns={5} />
          {rows.items.map((item) => {
            const invoice = shown[item.index];
            return (
              <tbody key={invoice.id} data-index={item.index} ref={rows.virtualizer.measureElement} className="max-sm:block">
                <InvoiceRow
                  invoice={invoice}
                  rowIndex={item.index + 2}
                  expanded={open.has(invoice.id)}
                  onToggle={toggle}
                  numbers={numbers}
                  labels={labels}
                />
              </tbody>
            );
          })}
          <Spacer height={rows.after} columns={5} />
          <tfoot className="border-t-2 border-slate-300 font-semibold max-sm:block">
            <tr aria-rowindex={shown.length + 2} className={ROW}>
              <th scope="row" className="px-4 py-2 max-sm:p-0">
                {t("houseTotal", { count: data.items.length })}
              </th>
              <td className={CELL} data-label={labels.water}>
                {numbers.money(data.totals.water)}
              </td>
              <td className={CELL} data-label={labels.maintenance}>
                {numbers.money(data.totals.maintenance)}
              </td>
              <td className={TOTAL} data-label={labels.total}>
                {numbers.money(data.totals.total)}
              </td>
              <td className="max-sm:hidden" />
            </tr>
          </tfoot>
        </table>
        {shown.length === 0 && <p className="p-4 text-slate-600">{t("nothingFound")}</p>}
      </div>
    </div>
  );
}

interface RowProps {
  invoice: InvoiceSummary;
  rowIndex: number;
  expanded: boolean;
  onToggle: (id: number) => void;
  numbers: NumberFormats;
  labels: { water: string; maintenance: string; total: string; apartment: (number: string) => string };
}

const InvoiceRow = memo(function InvoiceRow({ invoice, rowIndex, expanded, onToggle, numbers, labels }: RowProps) {
  const panelId = `invoice-${invoice.id}-lines`;
  const flags = invoice.flags;
  return (
    <>
      <tr
        aria-rowindex={rowIndex}
        className={`${ROW} ${flags.length > 0 ? "bg-amber-50" : ""}`}
        data-flagged={flags.length > 0 || undefined}
      >
        <th scope="row" className="px-2 py-1 font-normal max-sm:p-0">
          <button
            type="button"
            aria-expanded={expanded}
            aria-controls={expanded ? panelId : undefined}
            onClick={() => onToggle(invoice.id)}
            className="flex items-center gap-2 rounded px-2 py-1 text-left text-brand-700 hover:bg-brand-50 focus:outline-2 focus:outline-brand-600 max-sm:-ml-2"
          >
            <span aria-hidden="true" className={`inline-block transition-transform ${expanded ? "rotate-90" : ""}`}>
              ▸
            </span>
            {labels.apartment(invoice.apartment_number)}
          </button>
        </th>
        <td className={CELL} data-label={labels.water}>
          {numbers.money(invoice.water)}
        </td>
        <td className={CELL} data-label={labels.maintenance}>
          {numbers.money(invoice.maintenance)}
        </td>
        <td className={`${TOTAL} font-medium`} data-label={labels.total}>
          {numbers.money(invoice.total)}
        </td>
        <td className="px-4 py-2 max-sm:col-span-2 max-sm:p-0 max-sm:empty:hidden">
          <FlagList flags={flags} />
        </td>
      </tr>
      {expanded && (
        <tr id={panelId} className="border-t border-slate-100 bg-slate-50 max-sm:block">
          <td colSpan={5} className="px-4 py-3 max-sm:block max-sm:px-3">
            <OpenedInvoice invoice={invoice} />
          </td>
        </tr>
      )}
    </>
  );
});
