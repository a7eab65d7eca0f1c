"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useArchiveApartment } from "../house/queries";
import { card, LoadError } from "../house/ui";
import { secondaryButtonClass } from "../ui/field";
import { useHouseSummary } from "../houses/queries";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { useDateLabels } from "../ui/dates";
import { useErrorTexts } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import { ConsumptionChart } from "./consumption-chart";
import { InvoicesSection } from "./invoices";
import type { Apartment, ReadingList } from "@/lib/schemas/responses";
import { useApartment, useMeterReadings, type ApartmentMeter } from "./queries";
import { RoleNote, useCan } from "../accounts/roles";
import { ResidentsSection } from "../residents/residents-section";
import { ROLES } from "@/lib/auth/roles";
import { ReadingSource } from "../readings/reading-source";

export function ApartmentView({ id }: { id: number }) {
  const t = useTranslations("apartment");
  const apartment = useApartment(id);
  const errors = useErrorTexts();
  // The apartment's workspace is its house's (the summary is loaded for the breadcrumbs anyway).
  const house = useHouseSummary(apartment.data?.house_id);
  const workspaceId = house.data?.workspace_id;
  const manage = useCan(ROLES.manage, workspaceId);
  const billing = useCan(ROLES.readBilling, workspaceId);

  return (
    <div className="space-y-6">
      {apartment.isPending && (
        <p role="status" className="text-slate-600">
          {t("loading")}
        </p>
      )}
      {apartment.isError && (
        <LoadError message={t("loadFailed", { message: errors.message(apartment.error) })} onRetry={() => apartment.refetch()} />
      )}
      {apartment.isSuccess && <ApartmentHeader apartment={apartment.data} billing={billing.allowed} />}
      <RoleNote check={manage} />
      {apartment.isSuccess && apartment.data.archived_at && <ArchivedNote apartment={apartment.data} editable={manage.allowed} />}
      {apartment.isSuccess && (
        <MetersAndReadings meters={apartment.data.meters} houseId={apartment.data.house_id} editable={manage.allowed} />
      )}
      {/* Invoices need only the id (the page's first screen brings them with the apartment and its
          house); they wait for the role, so that an operator, who has none to see, is not refused. */}
      {!apartment.isError && billing.allowed && <InvoicesSection apartmentId={id} workspaceId={workspaceId} />}
      {/* Phones are personal data: the residents show to the roles that may see them (issue 18). */}
      {apartment.isSuccess && billing.allowed && <ResidentsSection apartmentId={id} editable={manage.allowed} />}
    </div>
  );
}

/** An archived apartment says so, and can be brought back. */
function ArchivedNote({ apartment, editable }: { apartment: Apartment; editable: boolean }) {
  const t = useTranslations("apartment.archived");
  const dates = useDateLabels();
  const restore = useArchiveApartment(apartment.house_id);
  const errors = useErrorTexts();
  return (
    <div role="status" className="flex flex-wrap items-center gap-3 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950">
      <p className="flex-1">{t("text", { date: dates.dateTime(apartment.archived_at!) })}</p>
      {editable && (
        <button
          type="button"
          className={secondaryButtonClass}
          disabled={restore.isPending}
          onClick={() => restore.mutate({ id: apartment.id, archived: false })}
        >
          {t("restore")}
        </button>
      )}
      {restore.isError && <p className="w-full text-red-800">{errors.message(restore.error)}</p>}
    </div>
  );
}

/** `billing`: the role may see the account (an operator may not). */
function ApartmentHeader({ apartment, billing }: { apartment: Apartment; billing: boolean }) {
  const t = useTranslations("apartment");
  const ledger = useTranslations("ledger.account");
  const history = useTranslations("history");
  const common = useTranslations("common");
  const numbers = useNumbers();
  const house = useHouseSummary(apartment.house_id);
  return (
    <div className="space-y-2">
      <Breadcrumbs
        items={[
          { label: common("crumbs.houses"), href: "/houses" },
          { label: house.data?.address ?? "…", href: `/houses/${apartment.house_id}` },
          { label: common("crumbs.apartment", { number: apartment.number }) },
        ]}
      />
      <div className="flex flex-wrap items-baseline gap-x-6 gap-y-1">
        <h1 className="text-2xl font-semibold">{t("title", { number: apartment.number })}</h1>
        <p className="text-slate-700">
          {t("area")}: <span className="font-medium tabular-nums">{numbers.area(apartment.area)}</span>
        </p>
        <p className="text-slate-700">
          {t("accountNumber")}: <span className="font-medium tabular-nums">{apartment.account_number}</span>
        </p>
        {apartment.owner_name && (
          <p className="text-slate-700">
            {t("ownerName")}: <span className="font-medium">{apartment.owner_name}</span>
          </p>
        )}
        <Link prefetch={false} href={`/apartments/${apartment.id}/history`} className="text-sm text-brand-700 hover:underline">
          {history("apartmentLink")}
        </Link>
        {billing && (
          <Link prefetch={false} href={`/apartments/${apartment.id}/account`} className="text-sm text-brand-700 hover:underline">
            {ledger("link")}
          </Link>
        )}
      </div>
    </div>
  );
}

function MetersAndReadings({ meters, houseId, editable }: { meters: ApartmentMeter[]; houseId: number; editable: boolean }) {
  const t = useTranslations("apartment");
  const readings = useMeterReadings(meters.map((m) => m.id));
  const errors = useErrorTexts();
  const loaded = readings.every((r) => r.isSuccess);
  const failed = readings.find((r) => r.isError);

  return (
    <>
      <MetersTable meters={meters} houseId={houseId} editable={editable} />
      {meters.length > 0 && (
        <section aria-labelledby="consumption-heading" className={card}>
          <h2 id="consumption-heading" className="mb-3 text-lg font-semibold">
            {t("chart.title")}
          </h2>
          {failed ? (
            <LoadError
              message={t("readings.loadFailed", { message: errors.message(failed.error) })}
              onRetry={() => readings.forEach((r) => r.isError && r.refetch())}
            />
          ) : !loaded ? (
            <p role="status" className="text-slate-600">
              {t("loading")}
            </p>
          ) : (
            <ConsumptionChart meters={meters} readings={readings.map((r) => r.data!)} />
          )}
        </section>
      )}
      {meters.length > 0 && (
        <section aria-labelledby="history-heading" className="space-y-3">
          <h2 id="history-heading" className="text-xl font-semibold">
            {t("readings.title")}
          </h2>
          <div className="grid gap-4 md:grid-cols-2">
            {meters.map((meter, i) => (
              <ReadingsTable key={meter.id} meter={meter} query={readings[i]} />
            ))}
          </div>
        </section>
      )}
    </>
  );
}

function MetersTable({ meters, houseId, editable }: { meters: ApartmentMeter[]; houseId: number; editable: boolean }) {
  const t = useTranslations("apartment");
  const common = useTranslations("common");
  const dates = useDateLabels();
  const numbers = useNumbers();
  return (
    <section aria-labelledby="meters-heading" className={card}>
      <div className="mb-2 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="meters-heading" className="text-lg font-semibold">
          {t("meters.title")}
        </h2>
        {editable && (
          <Link prefetch={false} href={`/houses/${houseId}`} className="text-sm text-brand-700 hover:underline">
            {t("meters.manage")}
          </Link>
        )}
      </div>
      {meters.length === 0 ? (
        <p className="text-slate-600">{t("meters.none")}</p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className="py-1 pr-3 font-medium">
                  {t("meters.service")}
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  {t("meters.serial")}
                </th>
                <th scope="col" className="py-1 pr-3 font-medium">
                  {t("meters.installedOn")}
                </th>
                <th scope="col" className="py-1 text-right font-medium">
                  {t("meters.lastReading")}
                </th>
              </tr>
            </thead>
            <tbody>
              {meters.map((m) => {
                const last = m.readings[0];
                return (
                  <tr key={m.id} className="border-t border-slate-100">
                    <th scope="row" className="py-1.5 pr-3 font-normal">
                      {common(`services.${m.service}`)}
                    </th>
                    <td className="py-1.5 pr-3">{m.serial_number}</td>
                    <td className="py-1.5 pr-3">{m.installed_on ? dates.date(m.installed_on) : "—"}</td>
                    <td className="py-1.5 text-right tabular-nums">
                      {last ? (
                        <>
                          {numbers.reading(last.value)} <span className="text-slate-600">({dates.month(last.period)})</span>
                        </>
                      ) : (
                        <span className="text-slate-500">{t("meters.noReadings")}</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface ReadingsQuery {
  isPending: boolean;
  isError: boolean;
  error: Error | null;
  data?: ReadingList;
  refetch: () => unknown;
}

function ReadingsTable({ meter, query }: { meter: ApartmentMeter; query: ReadingsQuery }) {
  const t = useTranslations("apartment");
  const common = useTranslations("common");
  const dates = useDateLabels();
  const numbers = useNumbers();
  const errors = useErrorTexts();
  const caption = t("readings.caption", { service: common(`services.${meter.service}`), serial: meter.serial_number });
  return (
    <div className={card}>
      {query.isPending && (
        <p role="status" className="text-sm text-slate-600">
          {caption}: {t("loading")}
        </p>
      )}
      {query.isError && (
        <LoadError message={t("readings.loadFailed", { message: errors.message(query.error) })} onRetry={() => query.refetch()} />
      )}
      {query.data &&
        (query.data.items.length === 0 ? (
          <p className="text-sm text-slate-600">
            {caption}: {t("meters.noReadings")}
          </p>
        ) : (
          <div className="max-h-96 overflow-y-auto">
            <table className="w-full text-left text-sm">
              <caption className="mb-2 text-left font-medium">{caption}</caption>
              <thead className="sticky top-0 bg-white text-slate-600">
                <tr>
                  <th scope="col" className="py-1 pr-3 font-medium">
                    {t("readings.month")}
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">
                    {t("readings.value")}
                  </th>
                  <th scope="col" className="py-1 pr-3 text-right font-medium">
                    {t("readings.consumption")}
                  </th>
                  <th scope="col" className="py-1 font-medium max-sm:sr-only">
                    {t("readings.source")}
                  </th>
                </tr>
              </thead>
              <tbody>
                {query.data.items.map((r) => (
                  <tr key={r.period} className="border-t border-slate-100">
                    <th scope="row" className="py-1 pr-3 font-normal">
                      {dates.month(r.period)}
                    </th>
                    <td className="py-1 pr-3 text-right tabular-nums">{numbers.reading(r.value)}</td>
                    <td className="py-1 pr-3 text-right tabular-nums">
                      {r.consumption === null ? (
                        <span className="text-slate-500">{t("readings.first")}</span>
                      ) : (
                        numbers.reading(r.consumption)
                      )}
                    </td>
                    <td className="py-1">
                      <ReadingSource origin={r} whoOnWide />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}
    </div>
  );
}
