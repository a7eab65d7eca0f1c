"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { buttonClass, Field, secondaryButtonClass } from "../ui/field";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { useApiError, useErrorTexts } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import { SubmitButton } from "../ui/submit-button";
import { ApartmentsSection } from "./apartment-table";
import { useFocusAfterRender } from "./focus";
import { BESIDE_FIELDS, formSecondaryButtonClass } from "./form";
import { useDateLabels } from "../ui/dates";
import type { BillingRun, HouseDetail } from "@/lib/schemas/responses";
import { useHouseBillingRuns, useHouseDetail, useUpdateHouse } from "./queries";
import { card, LoadError } from "./ui";
import { RoleNote, useCan, type RoleCheck } from "../accounts/roles";
import { ROLES } from "@/lib/auth/roles";
import { HouseDebtCard } from "../ledger/debtors-view";

const linkButtonClass = `${buttonClass} inline-block no-underline`;
const secondaryLinkClass = `${secondaryButtonClass} inline-block px-4 py-2 text-base`;

export function HouseDetailView({ id }: { id: number }) {
  const t = useTranslations("house");
  const common = useTranslations("common");
  const house = useHouseDetail(id);
  const errors = useErrorTexts();
  const manage = useCan(ROLES.manage, house.data?.workspace_id);
  const billing = useCan(ROLES.readBilling, house.data?.workspace_id);

  return (
    <div className="space-y-6">
      <Breadcrumbs items={[{ label: common("crumbs.houses"), href: "/houses" }, { label: house.data?.address ?? "…" }]} />
      {house.isPending && (
        <p role="status" className="text-slate-600">
          {t("loading")}
        </p>
      )}
      {house.isError && <LoadError message={t("loadFailed", { message: errors.message(house.error) })} onRetry={() => house.refetch()} />}
      {house.isSuccess && (
        <>
          <AddressHeader house={house.data} manage={manage} />
          <RoleNote check={manage} />
          <Summary house={house.data} />
          <nav aria-label={t("workTitle")} className="flex flex-wrap gap-3">
            <Link prefetch={false} href={`/houses/${id}/readings`} className={linkButtonClass}>
              {t("links.readings")}
            </Link>
            {billing.allowed && (
              <Link prefetch={false} href={`/houses/${id}/billing`} className={secondaryLinkClass}>
                {t("links.billing")}
              </Link>
            )}
          </nav>
          {/* the house's debt: billing's too, so only where the role may see it */}
          {billing.allowed && <HouseDebtCard houseId={id} workspaceId={house.data.workspace_id} />}
          <div className="grid gap-6 lg:grid-cols-2">
            <TariffsSection house={house.data} manage={manage.allowed} />
            {/* an operator sees no runs (the API refuses them): not an error worth showing */}
            {billing.allowed && <BillingRunsSection houseId={id} />}
          </div>
          <ApartmentsSection house={house.data} editable={manage.allowed} />
        </>
      )}
    </div>
  );
}

const EDIT_ADDRESS_ID = "house-address-edit";

function AddressHeader({ house, manage }: { house: HouseDetail; manage: RoleCheck }) {
  const t = useTranslations("house");
  const [editing, setEditing] = useState(false);
  const [address, setAddress] = useState(house.address);
  const update = useUpdateHouse(house.id);
  const error = useApiError(update.error, ["address"]);
  const focusLater = useFocusAfterRender();

  const stop = () => {
    setEditing(false);
    update.reset();
    focusLater(EDIT_ADDRESS_ID);
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(address, { onSuccess: stop });
  };

  if (!editing || !manage.allowed) {
    return (
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{house.address}</h1>
        {manage.allowed && (
          <button
            id={EDIT_ADDRESS_ID}
            type="button"
            className={secondaryButtonClass}
            onClick={() => {
              setAddress(house.address);
              setEditing(true);
            }}
          >
            {t("address.edit")}
          </button>
        )}
      </div>
    );
  }
  return (
    <form
      onSubmit={submit}
      onKeyDown={(e) => e.key === "Escape" && stop()}
      aria-label={t("address.form")}
      className="flex flex-wrap items-start gap-3"
      noValidate
    >
      <h1 className="sr-only">{house.address}</h1>
      <div className="min-w-72 flex-1">
        <Field
          id="house-address"
          label={t("address.label")}
          value={address}
          autoFocus
          maxLength={300}
          onChange={(e) => setAddress(e.target.value)}
          error={error.fields.address ?? error.form}
        />
      </div>
      <SubmitButton className={`${buttonClass} ${BESIDE_FIELDS}`} disabled={update.isPending}>
        {t("address.save")}
      </SubmitButton>
      <button type="button" className={`${formSecondaryButtonClass} ${BESIDE_FIELDS}`} onClick={stop}>
        {t("cancel")}
      </button>
    </form>
  );
}

function Summary({ house }: { house: HouseDetail }) {
  const t = useTranslations("house");
  const labels = useDateLabels();
  const numbers = useNumbers();
  const items = [
    [t("summary.apartments"), numbers.integer(house.apartments_count)],
    [t("summary.area"), numbers.area(house.total_area)],
    [t("summary.lastBilled"), house.last_billed_period ? labels.month(house.last_billed_period) : t("summary.neverBilled")],
  ] as const;
  return (
    <dl className="grid grid-cols-3 gap-2 sm:gap-3">
      {items.map(([term, value]) => (
        <div key={term} className={`${card} max-sm:p-2.5`}>
          <dt className="text-sm text-slate-600 max-sm:text-xs">{term}</dt>
          <dd className="text-xl font-semibold tabular-nums max-sm:text-base">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Always listed (a missing price shows as such); any other service with a price in force after them. */
const SERVICES = ["cold_water", "hot_water", "maintenance"];

function TariffsSection({ house, manage }: { house: HouseDetail; manage: boolean }) {
  const t = useTranslations("house");
  const common = useTranslations("common");
  const labels = useDateLabels();
  const numbers = useNumbers();
  const byService = new Map(house.tariffs.map((tariff) => [tariff.service, tariff]));
  const listed = [...SERVICES, ...[...byService.keys()].filter((code) => !SERVICES.includes(code))];
  const serviceName = (code: string) => (common.has(`services.${code}`) ? common(`services.${code}`) : code);
  return (
    <section aria-labelledby="tariffs-heading" className={card}>
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="tariffs-heading" className="text-lg font-semibold">
          {t("tariffs.title", { month: labels.month(house.tariffs_month) })}
        </h2>
        {manage && (
          <Link prefetch={false} href="/tariffs" className="text-sm text-brand-700 hover:underline">
            {t("tariffs.manage")}
          </Link>
        )}
      </div>
      <table className="w-full text-left text-sm">
        <thead className="text-slate-600">
          <tr>
            <th scope="col" className="py-1 pr-2 font-medium">
              {t("tariffs.service")}
            </th>
            <th scope="col" className="py-1 pr-2 text-right font-medium">
              {t("tariffs.price")}
            </th>
            <th scope="col" className="py-1 font-medium">
              {t("tariffs.since")}
            </th>
          </tr>
        </thead>
        <tbody>
          {listed.map((service) => {
            const tariff = byService.get(service);
            return (
              <tr key={service} className="border-t border-slate-100">
                <th scope="row" className="py-1.5 pr-2 font-normal">
                  {serviceName(service)}
                </th>
                {tariff ? (
                  <>
                    <td className="py-1.5 pr-2 text-right tabular-nums whitespace-nowrap">{numbers.price(tariff.price, tariff.unit)}</td>
                    <td className="py-1.5 text-slate-700">
                      {labels.month(tariff.valid_from)}
                      <span className="text-slate-500"> · {tariff.house_id === null ? t("tariffs.workspace") : t("tariffs.house")}</span>
                    </td>
                  </>
                ) : (
                  <td colSpan={2} className="py-1.5 font-medium text-amber-800">
                    {t("tariffs.missing")}
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

const RECENT_RUNS = 5;

const STATUS_CLASS: Record<BillingRun["status"], string> = {
  queued: "bg-slate-100 text-slate-800",
  running: "bg-brand-100 text-brand-900",
  completed: "bg-green-100 text-green-900",
  failed: "bg-red-100 text-red-900",
};

function BillingRunsSection({ houseId }: { houseId: number }) {
  const t = useTranslations("house");
  const labels = useDateLabels();
  const runs = useHouseBillingRuns(houseId);
  const errors = useErrorTexts();
  const numbers = useNumbers();
  return (
    <section aria-labelledby="runs-heading" className={card}>
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="runs-heading" className="text-lg font-semibold">
          {t("runs.title")}
        </h2>
        <Link prefetch={false} href={`/houses/${houseId}/billing`} className="text-sm text-brand-700 hover:underline">
          {t("runs.all")}
        </Link>
      </div>
      {runs.isPending && (
        <p role="status" className="text-sm text-slate-600">
          {t("loading")}
        </p>
      )}
      {runs.isError && <LoadError message={t("runs.loadFailed", { message: errors.message(runs.error) })} onRetry={() => runs.refetch()} />}
      {runs.isSuccess &&
        (runs.data.items.length === 0 ? (
          <p className="text-sm text-slate-600">{t("runs.none")}</p>
        ) : (
          <table className="w-full text-left text-sm">
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-2 font-medium">
                  {t("runs.month")}
                </th>
                <th scope="col" className="py-1 pr-2 font-medium">
                  {t("runs.status")}
                </th>
                <th scope="col" className="py-1 pr-2 text-right font-medium">
                  {t("runs.total")}
                </th>
                <th scope="col" className="py-1 font-medium">
                  {t("runs.started")}
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.data.items.slice(0, RECENT_RUNS).map((run) => (
                <tr key={run.id} className="border-t border-slate-100 align-top">
                  <th scope="row" className="py-1.5 pr-2 font-normal">
                    <Link
                      prefetch={false}
                      href={`/houses/${houseId}/billing?period=${run.period}`}
                      className="text-brand-700 hover:underline"
                    >
                      {labels.month(run.period)}
                    </Link>
                  </th>
                  <td className="py-1.5 pr-2">
                    <span className={`rounded px-1.5 py-0.5 text-xs font-medium ${STATUS_CLASS[run.status]}`}>
                      {t(`runs.statuses.${run.status}`)}
                    </span>
                    {(run.status === "running" || run.status === "queued") && (
                      <span className="ml-1 tabular-nums text-slate-600">
                        {t("runs.progress", { processed: run.processed, total: run.total })}
                      </span>
                    )}
                    {run.status === "failed" && <p className="mt-1 text-xs text-red-800">{errors.run(run)}</p>}
                  </td>
                  <td className="py-1.5 pr-2 text-right tabular-nums">
                    {run.status === "completed" ? numbers.money(run.summary.total) : "—"}
                  </td>
                  <td className="py-1.5 text-slate-700">{labels.dateTime(run.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
