"use client";

import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { Fragment, useState } from "react";
import { CHECK_PROBLEMS, type CheckProblem } from "@/lib/constants";
import type { BillingCheck } from "@/lib/schemas/responses";
import { useDateLabels } from "../ui/dates";
import { useErrorTexts } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import { useBillingCheck } from "./queries";

type Item = BillingCheck["items"][number];

/**
 * The check before billing, above the start button: what blocks the run, how the month's meters
 * stand, and the meters and apartments that need a look, filterable by problem, each with what
 * the run would bill and a link to the readings sheet of the month.
 */
export function BillingCheckPanel({ houseId, period }: { houseId: number; period: string }) {
  const t = useTranslations("billing.check");
  const common = useTranslations("common");
  const locale = useLocale() === "en" ? "en" : "ru";
  const errors = useErrorTexts();
  const check = useBillingCheck(houseId, period);
  const [only, setOnly] = useState<CheckProblem | "all">("all");

  if (check.isPending) return <p role="status">{common("loading")}</p>;
  if (check.isError)
    return (
      <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
        {common("loadFailed", { message: errors.message(check.error) })}
      </p>
    );
  const { counts, blocking, items } = check.data;
  const present = CHECK_PROBLEMS.filter((p) => items.some((i) => i.problems.includes(p)));
  const shown = only === "all" ? items : items.filter((i) => i.problems.includes(only));
  const sheet = `/houses/${houseId}/readings?period=${period}`;

  return (
    <section aria-labelledby="check-heading" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
      <h2 id="check-heading" className="text-lg font-semibold">
        {t("heading")}
      </h2>
      <p className="text-sm text-slate-700">
        {t("summary", {
          readings: counts.readings,
          meters: counts.meters,
          average: counts.estimated_average,
          normative: counts.estimated_normative,
          trueUp: counts.true_up,
        })}
      </p>
      {blocking.length > 0 ? (
        // not an alert: it is the month's standing, read with the page, not news
        <div className="rounded bg-red-50 p-3 text-red-800">
          <p className="font-medium">{t("blocked")}</p>
          <ul className="list-disc pl-5">
            {blocking.map((b) => (
              <li key={`${b.problem}-${b.service}`}>
                {t(`blocking.${b.problem}`, { service: (locale === "en" ? b.name_en : b.name_ru) ?? common(`services.${b.service}`) })}{" "}
                <Link prefetch={false} href="/tariffs" className="underline">
                  {t("toTariffs")}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="text-sm font-medium text-green-800">{t("ready")}</p>
      )}
      {items.length === 0 ? (
        <p className="text-sm text-slate-700">{t("nothing")}</p>
      ) : (
        <>
          <div role="group" aria-label={t("filter")} className="flex flex-wrap gap-2">
            {(["all", ...present] as const).map((p) => (
              <button
                key={p}
                type="button"
                aria-pressed={only === p}
                onClick={() => setOnly(p)}
                className="rounded-full border border-slate-300 px-3 py-1 text-sm aria-pressed:border-brand-600 aria-pressed:bg-brand-50 aria-pressed:text-brand-800"
              >
                {p === "all" ? t("all", { count: items.length }) : t(`problems.${p}`)} {p !== "all" && `(${countOf(items, p)})`}
              </button>
            ))}
          </div>
          <ul className="divide-y divide-slate-200 text-sm">
            {shown.map((item) => (
              <li key={`${item.apartment_id}-${item.meter_id ?? 0}`} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2">
                <CheckItem item={item} />{" "}
                {item.meter_id !== null && (
                  // a missing reading: the sheet showing only the meters without one
                  <Link
                    prefetch={false}
                    href={item.problems.includes("no_reading") ? `${sheet}&filter=missing` : sheet}
                    className="text-brand-700 underline"
                  >
                    {t("toSheet")}
                  </Link>
                )}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

const countOf = (items: Item[], problem: CheckProblem) => items.filter((i) => i.problems.includes(problem)).length;

function CheckItem({ item }: { item: Item }) {
  const t = useTranslations("billing.check");
  const common = useTranslations("common");
  const numbers = useNumbers();
  const dates = useDateLabels();
  const what =
    item.meter_id === null
      ? t("apartmentOnly", { number: item.apartment_number })
      : t("meter", { number: item.apartment_number, serial: item.serial_number ?? "", service: common(`services.${item.service}`) });
  let plan: string | null = null;
  if (item.kind === "average" && item.volume !== null)
    plan = t("plan.average", { volume: numbers.reading(item.volume), months: item.average_months ?? 0 });
  else if (item.kind === "normative" && item.volume !== null)
    plan = t("plan.normative", { volume: numbers.reading(item.volume), residents: item.residents });
  else if (item.kind === "normative") plan = t("plan.noNormative");
  else if (item.volume !== null && item.meter_id !== null) plan = t("plan.reading", { volume: numbers.reading(item.volume) });
  return (
    <>
      <span className="font-medium">{what}</span>{" "}
      <span className="flex flex-wrap gap-1">
        {item.problems.map((p, i) => (
          <Fragment key={p}>
            {i > 0 && " "}
            <span className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
              {p === "verification_expired" || p === "verification_expiring"
                ? t(`problems.${p}Until`, { date: dates.date(item.verified_until ?? "") })
                : p === "suspicious" && item.suspicion?.kind === "high"
                  ? t("problems.suspiciousHigh", {
                      use: numbers.reading(item.suspicion.use ?? "0"),
                      expected: numbers.reading(item.suspicion.expected ?? "0"),
                    })
                  : t(`problems.${p}`)}
            </span>
          </Fragment>
        ))}
      </span>{" "}
      {plan && <span className="text-slate-700">{plan}</span>}
    </>
  );
}
