"use client";

import { useTranslations } from "next-intl";
import { useNumbers } from "../ui/numbers";
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
          <li key={line.service}>
            <Line line={line} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function Line({ line }: { line: InvoiceLine }) {
  const t = useTranslations("billing.lines");
  const services = useTranslations("common.services");
  const numbers = useNumbers();
  const details = line.details;
  const unit = numbers.unit(line.unit);
  return (
    <article aria-label={services(line.service)} className="rounded border border-slate-200 bg-white p-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h4 className="font-medium">{services(line.service)}</h4>
        <p className="font-semibold tabular-nums">{numbers.money(line.amount)}</p>
      </div>
      <p className="mt-1 tabular-nums text-slate-800" data-testid="line-formula">
        {numbers.quantity(line.quantity, line.unit)} × {numbers.price(line.price, line.unit)} = {numbers.money(line.amount)}
      </p>
      <dl className="mt-2 grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
        {"area" in details && (
          <>
            <dt className="text-slate-600">{t("area")}</dt>
            <dd className="tabular-nums">{numbers.area(details.area)}</dd>
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
                {m.flag && (
                  <span className="ml-2">
                    <FlagList flags={[m.flag]} />
                  </span>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
