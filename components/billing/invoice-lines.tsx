"use client";

import { useLocale, useTranslations } from "next-intl";
import { explainMeter, explainSplit, type ExplainTranslator } from "@/lib/billing/explain";
import { useApartmentInvoices } from "../apartment/queries";
import { useDateLabels } from "../ui/dates";
import { useErrorTexts } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import { MonthName } from "../ui/month";
import { FlagList } from "./flags";
import type { Invoice, InvoiceLine, InvoiceSummary } from "@/lib/schemas/responses";
import type { InvoiceLineMeter } from "@/lib/schemas/stored";

/**
 * An opened row of the house's list: the list holds no lines (a thousand invoices' lines are
 * megabytes), so they come from the apartment's invoices, fetched when it is opened.
 */
export function OpenedInvoice({ invoice }: { invoice: InvoiceSummary }) {
  const t = useTranslations("billing.lines");
  const common = useTranslations("common");
  const errors = useErrorTexts();
  // Asked afresh at every opening: a cached answer may be from before a re-run replaced the invoice.
  const invoices = useApartmentInvoices(invoice.apartment_id, { fresh: true });
  const full = invoices.data?.items.find((i) => i.id === invoice.id);
  if (full) return <InvoiceLines invoice={full} />;
  if (invoices.isError)
    return (
      <div role="alert" className="flex flex-wrap items-center gap-3 text-red-800">
        <span>{common("loadFailed", { message: errors.message(invoices.error) })}</span>
        <button type="button" className="underline" onClick={() => void invoices.refetch()}>
          {common("retry")}
        </button>
      </div>
    );
  if (invoices.isSuccess && invoices.isFetchedAfterMount) return <p className="text-slate-600">{t("gone")}</p>;
  return <p role="status">{common("loading")}</p>;
}

/** Why each number of an invoice is what it is: quantity × price, and where both came from. */
function InvoiceLines({ invoice }: { invoice: Invoice }) {
  const t = useTranslations("billing.lines");
  return (
    <div className="space-y-3">
      <h3 className="font-semibold">{t("heading", { number: invoice.apartment_number })}</h3>
      {invoice.lines.length === 0 && <p className="text-slate-600">{t("none")}</p>}
      <ul className="space-y-3">
        {invoice.lines.map((line) => (
          <li key={line.service_id}>
            <Line line={line} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function Line({ line }: { line: InvoiceLine }) {
  const t = useTranslations("billing.lines");
  const locale = useLocale() === "en" ? "en" : "ru";
  const numbers = useNumbers();
  const details = line.details;
  const name = line.service_name[locale];
  const unit = numbers.unit(line.unit);
  return (
    <article aria-label={name} className="rounded border border-slate-200 bg-white p-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h4 className="font-medium">{name}</h4>
        <p className="font-semibold tabular-nums">{numbers.money(line.amount)}</p>
      </div>
      <p className="mt-1 tabular-nums text-slate-800" data-testid="line-formula">
        {numbers.quantity(line.quantity, line.unit)} × {numbers.price(line.price, line.unit)} = {numbers.money(line.amount)}
      </p>
      <TrueUpSplit line={line} />
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        {"area" in details && (
          <>
            <dt className="text-slate-600">{t("area")}</dt>
            <dd className="tabular-nums">{numbers.area(details.area)}</dd>
          </>
        )}
        {"residents" in details && (
          <>
            <dt className="text-slate-600">{t("residents")}</dt>
            <dd className="tabular-nums">{details.residents}</dd>
          </>
        )}
        {
          <>
            <dt className="text-slate-600">{t("tariff")}</dt>
            <dd>
              {t.rich("tariffText", {
                price: numbers.price(details.tariff.price),
                unit,
                scope: t(`scope.${details.tariff.scope}`),
                month: () => <MonthName month={details.tariff.valid_from} />,
              })}
            </dd>
          </>
        }
        {line.flags.length > 0 && (
          <>
            <dt className="text-slate-600">{t("flags")}</dt>
            <dd>
              <FlagList flags={line.flags} />
            </dd>
          </>
        )}
      </dl>
      {"meters" in details && details.meters.length > 0 && <Meters meters={details.meters} />}
    </article>
  );
}

/** How a meter's volume was obtained (an average, the normative, a true-up), one phrase a line. */
export function MeterExplanation({ meter }: { meter: InvoiceLineMeter }) {
  const explain = useTranslations("billing.explain") as unknown as ExplainTranslator;
  const numbers = useNumbers();
  const dates = useDateLabels();
  // the numbers of an explanation as the reader writes them, like the rest of the page
  const format = {
    volume: (value: string) => numbers.decimal(value, 3),
    normative: (value: string) => numbers.decimal(value, value.split(".")[1]?.replace(/0+$/, "").length ?? 0),
    date: dates.date,
  };
  return explainMeter(meter, explain, format).map((phrase) => (
    <span key={phrase} className="block text-xs text-slate-700" data-testid="meter-explain">
      {phrase}
    </span>
  ));
}

/** A true-up line's amount split into the recalculation of earlier months and the month's charge. */
export function TrueUpSplit({ line }: { line: InvoiceLine }) {
  const explain = useTranslations("billing.explain") as unknown as ExplainTranslator;
  const numbers = useNumbers();
  const details = line.details;
  if (!("meters" in details) || !details.true_up) return null;
  return (
    <p className="mt-1 text-sm text-slate-800" data-testid="line-split">
      {explainSplit(details.true_up, explain, numbers.money)}
    </p>
  );
}

/** On a phone each meter is a small block: its readings under its number, each with its label. */
const STACKED =
  "py-1 pr-4 max-sm:block max-sm:p-0 max-sm:before:mr-1 max-sm:before:text-slate-600 max-sm:before:content-[attr(data-label)':']";

function Meters({ meters }: { meters: InvoiceLineMeter[] }) {
  const t = useTranslations("billing.lines");
  const numbers = useNumbers();
  const reading = (r: { period: string; value: string } | null) =>
    r ? (
      <>
        <span className="tabular-nums">{numbers.reading(r.value)}</span>{" "}
        <span className="text-slate-600">
          (<MonthName month={r.period} />)
        </span>
      </>
    ) : (
      <span className="text-slate-600">{t("noReading")}</span>
    );
  return (
    <div className="mt-3">
      <table className="w-full text-left text-sm sm:table-fixed max-sm:block">
        <caption className="sr-only">{t("metersCaption")}</caption>
        <colgroup className="max-sm:hidden">
          <col className="w-[22%]" />
          <col className="w-[29%]" />
          <col className="w-[29%]" />
          <col className="w-[20%]" />
        </colgroup>
        <thead className="text-slate-600 max-sm:sr-only">
          <tr>
            <th scope="col" className="py-1 pr-4 font-medium">
              {t("meter")}
            </th>
            <th scope="col" className="py-1 pr-4 font-medium">
              {t("previous")}
            </th>
            <th scope="col" className="py-1 pr-4 font-medium">
              {t("current")}
            </th>
            <th scope="col" className="py-1 pr-4 text-right font-medium">
              {t("consumption")}
            </th>
          </tr>
        </thead>
        <tbody className="max-sm:block">
          {meters.map((m) => (
            <tr key={m.meter_id} className="border-t border-slate-100 max-sm:block max-sm:py-1">
              <th scope="row" className="py-1 pr-4 font-normal max-sm:block max-sm:p-0 max-sm:font-medium">
                {m.serial_number}
              </th>
              <td className={STACKED} data-label={t("previous")}>
                {reading(m.previous)}
              </td>
              <td className={STACKED} data-label={t("current")}>
                {reading(m.current)}
              </td>
              <td className={`${STACKED} sm:text-right tabular-nums`} data-label={t("consumption")}>
                {numbers.reading(m.consumption)}
                {(m.flags ?? (m.flag ? [m.flag] : [])).length > 0 && (
                  <span className="ml-2">
                    <FlagList flags={m.flags ?? (m.flag ? [m.flag] : [])} />
                  </span>
                )}
                <MeterExplanation meter={m} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
