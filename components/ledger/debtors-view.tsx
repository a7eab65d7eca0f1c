"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { useCan } from "../accounts/roles";
import { card, LoadError } from "../house/ui";
import { useHouseSummary } from "../houses/queries";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { useDateLabels } from "../ui/dates";
import { useErrorTexts } from "../ui/errors";
import { Field } from "../ui/field";
import { useNumbers } from "../ui/numbers";
import { useHouseDebtors } from "./queries";
import { ROLES } from "@/lib/auth/roles";
import type { DebtorsOut } from "@/lib/schemas/ledger";

// A house's debtors as of a date (issue 16): its total debt, and the apartments that owe, the
// largest debt first, each linking to its account.

const th = "py-1.5 pr-3 font-medium whitespace-nowrap";
const td = "py-1.5 pr-3 whitespace-nowrap tabular-nums";

export function DebtorsView({ houseId }: { houseId: number }) {
  const t = useTranslations("ledger.debtors");
  const common = useTranslations("common");
  const errors = useErrorTexts();
  const [asOf, setAsOf] = useState<string | null>(null);
  const house = useHouseSummary(houseId);
  const debtors = useHouseDebtors(houseId, asOf);
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <Breadcrumbs
          items={[
            { label: common("crumbs.houses"), href: "/houses" },
            { label: house.data?.address ?? "…", href: `/houses/${houseId}` },
            { label: t("crumb") },
          ]}
        />
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        {house.data && <p className="text-slate-700">{house.data.address}</p>}
      </div>
      <div className="max-w-48">
        <Field
          id="debtors-as-of"
          type="date"
          label={t("asOf")}
          value={asOf ?? debtors.data?.as_of ?? ""}
          onChange={(e) => setAsOf(e.target.value || null)}
        />
      </div>
      {debtors.isPending && (
        <p role="status" className="text-slate-600">
          {t("loading")}
        </p>
      )}
      {debtors.isError && (
        <LoadError message={t("loadFailed", { message: errors.message(debtors.error) })} onRetry={() => debtors.refetch()} />
      )}
      {debtors.data && (
        <>
          <DebtTotals debtors={debtors.data} />
          <DebtorsTable debtors={debtors.data} />
        </>
      )}
    </div>
  );
}

function DebtTotals({ debtors }: { debtors: DebtorsOut }) {
  const t = useTranslations("ledger.debtors");
  const numbers = useNumbers();
  return (
    <dl className="grid grid-cols-2 gap-2 sm:max-w-xl sm:gap-3">
      <div className={`${card} max-sm:p-2.5`}>
        <dt className="text-sm text-slate-600 max-sm:text-xs">{t("totalDebt")}</dt>
        <dd className="text-xl font-semibold tabular-nums max-sm:text-base">{numbers.money(debtors.total_debt)}</dd>
      </div>
      <div className={`${card} max-sm:p-2.5`}>
        <dt className="text-sm text-slate-600 max-sm:text-xs">{t("inDebt")}</dt>
        <dd className="text-xl font-semibold tabular-nums max-sm:text-base">{numbers.integer(debtors.apartments_in_debt)}</dd>
      </div>
    </dl>
  );
}

function DebtorsTable({ debtors }: { debtors: DebtorsOut }) {
  const t = useTranslations("ledger.debtors.table");
  const none = useTranslations("ledger.debtors");
  const numbers = useNumbers();
  const dates = useDateLabels();
  if (debtors.debtors.length === 0) return <p className="text-slate-600">{none("none")}</p>;
  return (
    <section aria-label={t("label")} className={card}>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="text-slate-600">
            <tr>
              <th scope="col" className={th}>
                {t("apartment")}
              </th>
              <th scope="col" className={th}>
                {t("accountNumber")}
              </th>
              <th scope="col" className={`${th} text-right`}>
                {t("debt")}
              </th>
              <th scope="col" className={`${th} text-right`}>
                {t("monthsOverdue")}
              </th>
              <th scope="col" className={th}>
                {t("since")}
              </th>
              <th scope="col" className={`${th} text-right`}>
                {t("penalties")}
              </th>
              <th scope="col" className={`${th} text-right`}>
                {t("totalDue")}
              </th>
            </tr>
          </thead>
          <tbody>
            {debtors.debtors.map((d) => (
              <tr key={d.id} className="border-t border-slate-100">
                <th scope="row" className={`${td} font-normal`}>
                  <Link prefetch={false} href={`/apartments/${d.id}/account`} className="text-brand-700 hover:underline">
                    {t("apartmentNumber", { number: d.number })}
                  </Link>
                </th>
                <td className={td}>{d.account_number}</td>
                <td className={`${td} text-right font-medium text-red-700`}>{numbers.money(d.debt)}</td>
                <td className={`${td} text-right`}>{numbers.integer(d.months_overdue)}</td>
                <td className={td}>{d.oldest_overdue_month ? dates.month(d.oldest_overdue_month) : "—"}</td>
                <td className={`${td} text-right`}>{numbers.money(d.penalties_not_charged)}</td>
                <td className={`${td} text-right font-medium`}>{numbers.money(d.total_due)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

/** The house page's card: the house's total debt today and how many apartments owe, with a link to them. */
export function HouseDebtCard({ houseId, workspaceId }: { houseId: number; workspaceId: number }) {
  const t = useTranslations("ledger.houseCard");
  const billing = useCan(ROLES.readBilling, workspaceId);
  const numbers = useNumbers();
  const errors = useErrorTexts();
  const debtors = useHouseDebtors(houseId, null, { enabled: billing.allowed });
  if (!billing.allowed) return null;
  return (
    <section aria-labelledby="debt-heading" className={`${card} flex flex-wrap items-center gap-x-6 gap-y-2`}>
      <h2 id="debt-heading" className="w-full text-lg font-semibold">
        {t("title")}
      </h2>
      {debtors.isError && <p className="text-sm text-red-800">{errors.message(debtors.error)}</p>}
      {debtors.isPending && <p className="text-slate-600">{t("loading")}</p>}
      {debtors.data && (
        <dl className="flex flex-wrap gap-x-6 gap-y-1">
          <div>
            <dt className="text-sm text-slate-600">{t("totalDebt")}</dt>
            <dd className="text-xl font-semibold tabular-nums" data-testid="house-total-debt">
              {numbers.money(debtors.data.total_debt)}
            </dd>
          </div>
          <div>
            <dt className="text-sm text-slate-600">{t("inDebt")}</dt>
            <dd className="text-xl font-semibold tabular-nums">{numbers.integer(debtors.data.apartments_in_debt)}</dd>
          </div>
        </dl>
      )}
      <Link prefetch={false} href={`/houses/${houseId}/debtors`} className="text-sm text-brand-700 hover:underline sm:ml-auto">
        {t("link")}
      </Link>
    </section>
  );
}
