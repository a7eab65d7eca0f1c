"use client";

import { useTranslations } from "next-intl";
import { Fragment, useState } from "react";
import { useNumbers } from "../ui/numbers";
import { FlagList, invoiceFlags } from "./flags";
import { InvoiceLines } from "./invoice-lines";
import type { HouseInvoices } from "@/lib/schemas/responses";

/** The month's invoices with the house totals; a row opens to the lines that make it up. */
export function InvoiceTable({ data }: { data: HouseInvoices }) {
  const t = useTranslations("billing.invoices");
  const numbers = useNumbers();
  const [open, setOpen] = useState<ReadonlySet<number>>(new Set());
  const toggle = (id: number) =>
    setOpen((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const flagged = data.items.filter((i) => invoiceFlags(i).length > 0).length;

  return (
    <div className="space-y-2">
      {flagged > 0 && <p className="rounded bg-amber-50 p-3 text-amber-900">{t("flaggedNote", { count: flagged })}</p>}
      <div className="overflow-x-auto rounded-lg bg-white shadow-sm">
        <table className="w-full text-left">
          <caption className="sr-only">{t("caption")}</caption>
          <thead className="bg-slate-100 text-sm text-slate-700">
            <tr>
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
          <tbody>
            {data.items.map((invoice) => {
              const flags = invoiceFlags(invoice);
              const expanded = open.has(invoice.id);
              const panelId = `invoice-${invoice.id}-lines`;
              return (
                <Fragment key={invoice.id}>
                  <tr
                    className={`border-t border-slate-100 ${flags.length > 0 ? "bg-amber-50" : ""}`}
                    data-flagged={flags.length > 0 || undefined}
                  >
                    <th scope="row" className="px-2 py-1 font-normal">
                      <button
                        type="button"
                        aria-expanded={expanded}
                        aria-controls={expanded ? panelId : undefined}
                        onClick={() => toggle(invoice.id)}
                        className="flex items-center gap-2 rounded px-2 py-1 text-left text-brand-700 hover:bg-brand-50 focus:outline-2 focus:outline-brand-600"
                      >
                        <span aria-hidden="true" className={`inline-block transition-transform ${expanded ? "rotate-90" : ""}`}>
                          ▸
                        </span>
                        {t("apartment", { number: invoice.apartment_number })}
                      </button>
                    </th>
                    <td className="px-4 py-2 text-right tabular-nums">{numbers.money(invoice.water)}</td>
                    <td className="px-4 py-2 text-right tabular-nums">{numbers.money(invoice.maintenance)}</td>
                    <td className="px-4 py-2 text-right font-medium tabular-nums">{numbers.money(invoice.total)}</td>
                    <td className="px-4 py-2">
                      <FlagList flags={flags} />
                    </td>
                  </tr>
                  {expanded && (
                    <tr id={panelId} className="border-t border-slate-100 bg-slate-50">
                      <td colSpan={5} className="px-4 py-3">
                        <InvoiceLines invoice={invoice} />
                      </td>
                    </tr>
                  )}
                </Fragment>
              );
            })}
          </tbody>
          <tfoot className="border-t-2 border-slate-300 font-semibold">
            <tr>
              <th scope="row" className="px-4 py-2">
                {t("houseTotal", { count: data.items.length })}
              </th>
              <td className="px-4 py-2 text-right tabular-nums">{numbers.money(data.totals.water)}</td>
              <td className="px-4 py-2 text-right tabular-nums">{numbers.money(data.totals.maintenance)}</td>
              <td className="px-4 py-2 text-right tabular-nums">{numbers.money(data.totals.total)}</td>
              <td />
            </tr>
          </tfoot>
        </table>
      </div>
    </div>
  );
}
