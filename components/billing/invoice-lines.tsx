"use client";

import { useLocale, useTranslations } from "next-intl";
import { explainMeter, explainSplit, type ExplainTranslator } from "@/lib/billing/explain";
import { formatArea, formatDecimal, formatMoney, formatPrice, formatQuantity, formatReading, UNIT_SIGN } from "@/lib/format";
import { MonthName } from "../ui/month";
import { FlagList } from "./flags";
import type { Invoice, InvoiceLine } from "@/lib/schemas/responses";
import type { InvoiceLineMeter } from "@/lib/schemas/stored";

/** Why each number of an invoice is what it is: quantity × price, and where both came from. */
export function InvoiceLines({ invoice }: { invoice: Invoice }) {
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

/** The numbers of an explanation shown the Russian way, like the rest of the page. */
const EXPLAIN_FORMAT = {
  volume: (value: string) => formatDecimal(value, 3),
  normative: (value: string) => formatDecimal(value, value.split(".")[1]?.replace(/0+$/, "").length ?? 0),
  date: (value: string) => value.split("-").reverse().join("."),
};

function Line({ line }: { line: InvoiceLine }) {
  const t = useTranslations("billing.lines");
  const units = useTranslations("common.units");
  const locale = useLocale() === "en" ? "en" : "ru";
  const details = line.details;
  // m³ and m² as everywhere on the pages; persons and apartments in the page's language
  const unit = UNIT_SIGN[line.unit] ?? units(line.unit);
  const name = line.service_name[locale];
  return (
    <article aria-label={name} className="rounded border border-slate-200 bg-white p-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h4 className="font-medium">{name}</h4>
        <p className="font-semibold tabular-nums">{formatMoney(line.amount)}</p>
      </div>
      <p className="mt-1 tabular-nums text-slate-800" data-testid="line-formula">
        {formatQuantity(line.quantity, line.unit, unit)} × {formatPrice(line.price)}/{unit} = {formatMoney(line.amount)}
      </p>
      <TrueUpSplit line={line} />
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        {"area" in details && (
          <>
            <dt className="text-slate-600">{t("area")}</dt>
            <dd className="tabular-nums">{formatArea(details.area)}</dd>
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
                price: formatPrice(details.tariff.price),
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
  return explainMeter(meter, explain, EXPLAIN_FORMAT).map((phrase) => (
    <span key={phrase} className="block text-xs text-slate-700" data-testid="meter-explain">
      {phrase}
    </span>
  ));
}

/** A true-up line's amount split into the recalculation of earlier months and the month's charge. */
export function TrueUpSplit({ line }: { line: InvoiceLine }) {
  const explain = useTranslations("billing.explain") as unknown as ExplainTranslator;
  const details = line.details;
  if (!("meters" in details) || !details.true_up) return null;
  return (
    <p className="mt-1 text-sm text-slate-800" data-testid="line-split">
      {explainSplit(details.true_up, explain, formatMoney)}
    </p>
  );
}

function Meters({ meters }: { meters: InvoiceLineMeter[] }) {
  const t = useTranslations("billing.lines");
  const reading = (r: { period: string; value: string } | null) =>
    r ? (
      <>
        <span className="tabular-nums">{formatReading(r.value)}</span>{" "}
        <span className="text-slate-600">
          (<MonthName month={r.period} />)
        </span>
      </>
    ) : (
      <span className="text-slate-600">{t("noReading")}</span>
    );
  return (
    <div className="mt-3 overflow-x-auto">
      <table className="w-full min-w-[32rem] table-fixed text-left text-sm">
        <caption className="sr-only">{t("metersCaption")}</caption>
        <colgroup>
          <col className="w-[22%]" />
          <col className="w-[29%]" />
          <col className="w-[29%]" />
          <col className="w-[20%]" />
        </colgroup>
        <thead className="text-slate-600">
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
        <tbody>
          {meters.map((m) => (
            <tr key={m.meter_id} className="border-t border-slate-100">
              <th scope="row" className="py-1 pr-4 font-normal">
                {m.serial_number}
              </th>
              <td className="py-1 pr-4">{reading(m.previous)}</td>
              <td className="py-1 pr-4">{reading(m.current)}</td>
              <td className="py-1 pr-4 text-right tabular-nums">
                {formatReading(m.consumption)}
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
