"use client";

import { useLocale, useTranslations } from "next-intl";
import { Fragment, useState } from "react";
import { useDateLabels, type DateLabels } from "../ui/dates";
import { useErrorTexts } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import { card, LoadError } from "../house/ui";
import { secondaryButtonClass } from "../ui/field";
import type { Invoice, InvoiceLine } from "@/lib/schemas/responses";
import { FlagList } from "../billing/flags";
import { MeterExplanation, TrueUpSplit } from "../billing/invoice-lines";
import { useApartmentInvoices } from "./queries";
import { ReceiptLink } from "../receipts/receipt-link";
import { RequisitesNote } from "../receipts/requisites-note";
import { useReceiptRequisites } from "../receipts/queries";

/** An amount: a column on a desktop, "label value" on a phone. */
const CELL =
  "py-2 pr-3 text-right tabular-nums whitespace-nowrap max-sm:col-span-2 max-sm:p-0 max-sm:text-left max-sm:before:mr-1 max-sm:before:text-slate-600 max-sm:before:content-[attr(data-label)]";

/** `workspaceId`: the apartment's (its house's), to know whether payment documents can be made. */
export function InvoicesSection({ apartmentId, workspaceId }: { apartmentId: number; workspaceId: number | undefined }) {
  const t = useTranslations("apartment");
  const invoices = useApartmentInvoices(apartmentId);
  const requisites = useReceiptRequisites(workspaceId);
  // Offered unless the requisites are known to be incomplete (then a note says what is missing).
  const missing = requisites.data && !requisites.data.complete ? requisites.data.missing : undefined;
  const errors = useErrorTexts();
  const numbers = useNumbers();
  const dates = useDateLabels();
  // The newest invoice opens with its lines; the rest on demand.
  const [toggled, setToggled] = useState<Set<number>>(new Set());
  const isOpen = (invoice: Invoice, index: number) => (index === 0) !== toggled.has(invoice.id);
  const toggle = (id: number) =>
    setToggled((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });

  return (
    <section aria-labelledby="invoices-heading" className={card}>
      <h2 id="invoices-heading" className="mb-2 text-lg font-semibold">
        {t("invoices.title")}
      </h2>
      {invoices.isPending && (
        <p role="status" className="text-slate-600">
          {t("loading")}
        </p>
      )}
      {invoices.isError && (
        <LoadError message={t("invoices.loadFailed", { message: errors.message(invoices.error) })} onRetry={() => invoices.refetch()} />
      )}
      {invoices.isSuccess &&
        (invoices.data.items.length === 0 ? (
          <p className="text-slate-600">{t("invoices.none")}</p>
        ) : (
          <div className="space-y-2">
            {missing && workspaceId !== undefined && <RequisitesNote workspaceId={workspaceId} missing={missing} />}
            <table className="w-full text-left text-sm max-sm:block">
              <thead className="text-slate-600 max-sm:sr-only">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    {t("invoices.month")}
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">
                    {t("invoices.water")}
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">
                    {t("invoices.maintenance")}
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">
                    {t("invoices.total")}
                  </th>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    {t("invoices.flags")}
                  </th>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    {t("invoices.receipt")}
                  </th>
                  <th scope="col" className="py-1 font-medium">
                    <span className="sr-only">{t("invoices.lines")}</span>
                  </th>
                </tr>
              </thead>
              <tbody className="max-sm:block">
                {invoices.data.items.map((invoice, index) => {
                  const open = isOpen(invoice, index);
                  const linesId = `invoice-${invoice.id}-lines`;
                  const flags = [...new Set(invoice.lines.flatMap((l) => l.flags))];
                  return (
                    <Fragment key={invoice.id}>
                      <tr className="border-t border-slate-200 align-top max-sm:grid max-sm:grid-cols-[1fr_auto] max-sm:gap-x-3 max-sm:py-2">
                        <th scope="row" className="py-2 pr-3 font-medium max-sm:p-0">
                          {dates.month(invoice.period)}
                          <span className="block text-xs font-normal text-slate-600" data-testid="invoice-status">
                            {t(
                              `invoices.status.${invoice.status === "posted" ? "posted" : invoice.out_of_date.length > 0 ? "out_of_date" : "draft"}`,
                            )}
                          </span>
                        </th>
                        <td className={CELL} data-label={t("invoices.water")}>
                          {numbers.money(invoice.water)}
                        </td>
                        <td className={CELL} data-label={t("invoices.maintenance")}>
                          {numbers.money(invoice.maintenance)}
                        </td>
                        <td className={`${CELL} font-semibold`} data-label={t("invoices.total")}>
                          {numbers.money(invoice.total)}
                        </td>
                        <td className="py-2 pr-3 max-sm:col-span-2 max-sm:p-0 max-sm:empty:hidden">
                          <FlagList flags={flags} />
                        </td>
                        <td className="py-2 pr-3 max-sm:col-span-2 max-sm:p-0 max-sm:empty:hidden">
                          {!missing && (
                            <ReceiptLink
                              apartmentId={apartmentId}
                              period={invoice.period}
                              monthName={dates.month(invoice.period)}
                              draft={invoice.status !== "posted"}
                            />
                          )}
                        </td>
                        <td className="py-2 text-right max-sm:col-start-2 max-sm:row-start-1 max-sm:p-0">
                          <button
                            type="button"
                            className={secondaryButtonClass}
                            aria-expanded={open}
                            aria-controls={open ? linesId : undefined}
                            aria-label={t(open ? "invoices.hideLinesOf" : "invoices.showLinesOf", { month: dates.month(invoice.period) })}
                            onClick={() => toggle(invoice.id)}
                          >
                            {t(open ? "invoices.hideLines" : "invoices.showLines")}
                          </button>
                        </td>
                      </tr>
                      {open && (
                        <tr id={linesId} className="max-sm:block">
                          <td colSpan={7} className="pb-4 max-sm:block">
                            <InvoiceLines invoice={invoice} dates={dates} />
                          </td>
                        </tr>
                      )}
                    </Fragment>
                  );
                })}
              </tbody>
            </table>
          </div>
        ))}
    </section>
  );
}

function InvoiceLines({ invoice, dates }: { invoice: Invoice; dates: DateLabels }) {
  const t = useTranslations("apartment");
  const locale = useLocale() === "en" ? "en" : "ru";
  const numbers = useNumbers();
  return (
    <div className="rounded border border-slate-200 bg-slate-50 p-3">
      {/* On a phone each line is a block: service and amount, then quantity, price and why. */}
      <table className="w-full text-left text-sm max-sm:block">
        <caption className="mb-1 text-left font-medium max-sm:block">
          {t("invoices.linesCaption", { month: dates.month(invoice.period) })}
        </caption>
        <thead className="text-slate-600 max-sm:sr-only">
          <tr>
            <th scope="col" className="py-1 pr-3 font-medium">
              {t("lines.service")}
            </th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">
              {t("lines.quantity")}
            </th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">
              {t("lines.price")}
            </th>
            <th scope="col" className="py-1 pr-3 text-right font-medium">
              {t("lines.amount")}
            </th>
            <th scope="col" className="py-1 font-medium">
              {t("lines.basis")}
            </th>
          </tr>
        </thead>
        <tbody className="max-sm:block">
          {invoice.lines.map((line) => (
            <tr
              key={line.service_id}
              className="border-t border-slate-200 align-top max-sm:grid max-sm:grid-cols-[1fr_auto] max-sm:gap-x-3 max-sm:py-1.5"
            >
              <th scope="row" className="py-1.5 pr-3 font-normal max-sm:p-0 max-sm:font-medium">
                {line.service_name[locale]}
              </th>
              <td className="py-1.5 pr-3 text-right tabular-nums whitespace-nowrap max-sm:col-start-1 max-sm:row-start-2 max-sm:p-0 max-sm:text-left">
                {numbers.quantity(line.quantity, line.unit)}
              </td>
              <td className="py-1.5 pr-3 text-right tabular-nums whitespace-nowrap max-sm:col-start-2 max-sm:row-start-2 max-sm:p-0">
                {numbers.price(line.price, line.unit)}
              </td>
              <td className="py-1.5 pr-3 text-right font-medium tabular-nums whitespace-nowrap max-sm:col-start-2 max-sm:row-start-1 max-sm:p-0">
                {numbers.money(line.amount)}
              </td>
              <td className="py-1.5 max-sm:col-span-2 max-sm:row-start-3 max-sm:p-0">
                <LineBasis line={line} dates={dates} />
              </td>
            </tr>
          ))}
        </tbody>
        <tfoot className="max-sm:block">
          <tr className="border-t-2 border-slate-300 max-sm:flex max-sm:justify-between">
            <th scope="row" colSpan={3} className="py-1.5 pr-3 text-right font-medium">
              {t("invoices.total")}
            </th>
            <td className="py-1.5 pr-3 text-right font-semibold tabular-nums whitespace-nowrap">{numbers.money(invoice.total)}</td>
            <td className="max-sm:hidden" />
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

/** Why the line is what it is: each meter's readings and the tariff the price came from. */
function LineBasis({ line, dates }: { line: InvoiceLine; dates: DateLabels }) {
  const t = useTranslations("apartment");
  const numbers = useNumbers();
  const details = line.details;
  return (
    <div className="space-y-1">
      {("meters" in details ? details.meters : []).map((m) => (
        <p key={m.meter_id}>
          {t("lines.meter", { serial: m.serial_number })}:{" "}
          {m.previous ? `${numbers.reading(m.previous.value)} (${dates.month(m.previous.period)})` : t("lines.noPrevious")}
          {" → "}
          {m.current ? `${numbers.reading(m.current.value)} (${dates.month(m.current.period)})` : t("lines.noCurrent")}
          {" = "}
          <span className="font-medium tabular-nums">{numbers.reading(m.consumption)}</span>
          <MeterExplanation meter={m} />
        </p>
      ))}
      <TrueUpSplit line={line} />
      {line.unit === "m2" && <p>{t("lines.area", { area: numbers.area(line.quantity) })}</p>}
      {
        <p className="text-slate-600">
          {t(details.tariff.scope === "house" ? "lines.tariffHouse" : "lines.tariffWorkspace", {
            date: dates.monthStart(details.tariff.valid_from),
          })}
        </p>
      }
      <FlagList flags={line.flags} />
    </div>
  );
}
