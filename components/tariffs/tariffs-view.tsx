"use client";

import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import { useWorkspaces } from "../accounts/queries";
import { useHouses } from "../houses/queries";
import { useState, type FormEvent } from "react";
import type { Tariff } from "@/lib/schemas/responses";
import { ConfirmDialog } from "../house/confirm-dialog";
import { buttonClass, Field, secondaryButtonClass } from "../ui/field";
import { SubmitButton } from "../ui/submit-button";
import { MonthName } from "../ui/month";
import { groupHistory, type ScopeGroup, type TariffState } from "./history";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { useApiError, useErrorTexts } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import { METER_SERVICES } from "@/lib/constants";
import { NormativeForm } from "./normative-form";
import { useDeleteTariff, useNormatives, useServices, useTariffs, useUpdateTariff } from "./queries";
import { ServicesSection, catalogue } from "./services-section";
import { TariffForm, type ScopeOption } from "./tariff-form";
import { RoleNote, useCanAnywhere, useRoles } from "../accounts/roles";
import { can, ROLES } from "@/lib/auth/roles";

const linkButton = "text-sm font-medium text-brand-700 hover:underline focus:outline-2 focus:outline-brand-600";

const STATE_CLASS: Record<TariffState, string> = {
  inForce: "bg-green-100 text-green-900",
  upcoming: "bg-brand-100 text-brand-900",
  earlier: "bg-slate-100 text-slate-700",
};

/**
 * Prices are an owner's and an accountant's (a viewer sees them): where the person's role lets
 * them see none, the page says so instead of asking for what the server would refuse.
 */
export function TariffsView({ currentMonth }: { currentMonth: string }) {
  const t = useTranslations("tariffs");
  const common = useTranslations("common");
  const readable = useCanAnywhere(ROLES.readBilling);
  if (!readable.known) return <p role="status">{common("loading")}</p>;
  if (!readable.allowed)
    return (
      <div className="space-y-3">
        <Breadcrumbs items={[{ label: common("crumbs.tariffs") }]} />
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <RoleNote check={readable} what="prices" />
      </div>
    );
  return <TariffsContent currentMonth={currentMonth} />;
}

function TariffsContent({ currentMonth }: { currentMonth: string }) {
  const t = useTranslations("tariffs");
  const common = useTranslations("common");
  const meterServices = useTranslations("common.services");
  const locale = useLocale() === "en" ? "en" : "ru";
  const numbers = useNumbers();
  // Independent requests, in parallel: services, prices, normatives, house names, workspace names.
  const services = useServices();
  const tariffs = useTariffs();
  const normatives = useNormatives();
  const houses = useHouses("");
  const workspaces = useWorkspaces();
  const errors = useErrorTexts();
  const serviceList = catalogue(services.data?.items ?? []);
  const manage = useCanAnywhere(ROLES.manage);
  const canManage = (workspaceId: number) => manage.workspaceIds.includes(workspaceId);
  const { roles } = useRoles();

  const houseList = houses.data?.items ?? [];
  const houseIndex = new Map(houseList.map((h, i) => [h.id, i]));
  const houseName = (id: number) => houseList.find((h) => h.id === id)?.address ?? t("houseNumber", { id });
  const workspaceList = workspaces.data?.items ?? [];
  const several = workspaceList.length > 1;
  const workspaceName = (id: number) => workspaceList.find((w) => w.id === id)?.name ?? `#${id}`;
  const scopeLabel = (g: Pick<ScopeGroup, "houseId" | "workspaceId">) =>
    g.houseId !== null ? houseName(g.houseId) : several ? t("allHousesOf", { workspace: workspaceName(g.workspaceId) }) : t("allHouses");

  // New prices and normatives go only where the person's role lets them change prices.
  const scopes: ScopeOption[] = [
    ...(several
      ? workspaceList.filter((w) => canManage(w.id)).map((w) => ({ value: `ws:${w.id}`, label: t("allHousesOf", { workspace: w.name }) }))
      : [{ value: "ws:", label: t("allHouses") }]),
    ...houseList.filter((h) => canManage(h.workspace_id)).map((h) => ({ value: `house:${h.id}`, label: h.address })),
  ];

  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <Breadcrumbs items={[{ label: common("crumbs.tariffs") }]} />
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="max-w-3xl text-slate-700">{t("intro")}</p>
      </div>

      {/* the workspaces whose prices the person's role does not let them change (or see), each named when there are several */}
      {workspaceList
        .filter((w) => w.id in roles && !canManage(w.id))
        .map((w) => (
          <RoleNote
            key={w.id}
            check={{ allowed: false, role: roles[w.id], known: true }}
            what={can(roles[w.id], ROLES.readBilling) ? "changes" : "prices"}
            workspace={several ? w.name : undefined}
          />
        ))}
      <ServicesSection services={services} houses={houseList} canManage={canManage} canCreate={manage.allowed} />

      {workspaces.isPending || houses.isPending || services.isPending ? (
        <p role="status">{common("loading")}</p>
      ) : (
        manage.allowed && (
          <TariffForm key={scopes.map((s) => s.value).join()} scopes={scopes} services={serviceList} currentMonth={currentMonth} />
        )
      )}
      {houses.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {common("loadFailed", { message: errors.message(houses.error) })}
        </p>
      )}

      <section aria-labelledby="history-heading" className="space-y-4">
        <h2 id="history-heading" className="text-xl font-semibold">
          {t.rich("history", { month: () => <MonthName month={currentMonth} /> })}
        </h2>
        {tariffs.isPending && <p role="status">{common("loading")}</p>}
        {tariffs.isError && (
          <div role="alert" className="flex flex-wrap items-center gap-3 rounded bg-red-50 p-3 text-red-800">
            <span>{common("loadFailed", { message: errors.message(tariffs.error) })}</span>
            <button type="button" className={secondaryButtonClass} onClick={() => tariffs.refetch()}>
              {common("retry")}
            </button>
          </div>
        )}
        {tariffs.isSuccess &&
          serviceList.map((service) => {
            const name = service[locale === "en" ? "name_en" : "name_ru"];
            return (
              <ServiceHistory
                key={service.code}
                id={`history-${service.code}`}
                title={name}
                subtitle={t("perUnit", { unit: numbers.unit(service.unit) })}
                groups={groupHistory(
                  tariffs.data.items.filter((p) => p.service === service.code),
                  currentMonth,
                  (id) => houseIndex.get(id) ?? Number.MAX_SAFE_INTEGER,
                )}
                value={(p) => numbers.price(p.price)}
                valueLabel={t("columns.price")}
                empty={t("noPrices")}
                scopeLabel={scopeLabel}
                prices={{ service: name }}
                canManage={canManage}
              />
            );
          })}
      </section>

      <section aria-labelledby="normatives-heading" className="space-y-4">
        <div className="space-y-1">
          <h2 id="normatives-heading" className="text-xl font-semibold">
            {t("normatives.title")}
          </h2>
          <p className="max-w-3xl text-slate-700">{t("normatives.intro")}</p>
        </div>
        {!(workspaces.isPending || houses.isPending) && manage.allowed && <NormativeForm scopes={scopes} currentMonth={currentMonth} />}
        {normatives.isError && (
          <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
            {common("loadFailed", { message: errors.message(normatives.error) })}
          </p>
        )}
        {normatives.isSuccess &&
          METER_SERVICES.map((service) => (
            <ServiceHistory
              key={service}
              id={`normatives-${service}`}
              title={t("normatives.of", { service: meterServices(service) })}
              subtitle={t("normatives.unit")}
              groups={groupHistory(
                normatives.data.items.filter((n) => n.service === service),
                currentMonth,
                (id) => houseIndex.get(id) ?? Number.MAX_SAFE_INTEGER,
              )}
              value={(n) => numbers.decimal(n.value, 4)}
              valueLabel={t("normatives.value")}
              empty={t("normatives.none")}
              scopeLabel={scopeLabel}
              canManage={canManage}
            />
          ))}
      </section>
    </div>
  );
}

type HistoryRow = { id: number; workspace_id: number; house_id: number | null; valid_from: string };

/**
 * One service's prices (or normatives) by scope, newest first, the one in force marked. Prices
 * (`prices` given) can be corrected or deleted until a month they reach is posted (a closed one
 * says so instead of offering what the server would refuse; a billed one says it, and a change
 * puts its drafts out of date).
 */
function ServiceHistory<T extends HistoryRow>({
  id,
  title,
  subtitle,
  groups,
  value,
  valueLabel,
  empty,
  scopeLabel,
  prices,
  canManage,
}: {
  id: string;
  title: string;
  subtitle: string;
  groups: ScopeGroup<T>[];
  value: (row: T) => string;
  valueLabel: string;
  /** what an empty history says */
  empty: string;
  scopeLabel: (g: ScopeGroup<T>) => string;
  /** a price history: the service's name, for the edit and delete buttons' labels */
  prices?: { service: string };
  /** the person's role in the workspace lets them correct or delete its prices */
  canManage: (workspaceId: number) => boolean;
}) {
  const t = useTranslations("tariffs");
  const numbers = useNumbers();
  const headingId = id;
  const [editing, setEditing] = useState<number | null>(null);
  const [deleting, setDeleting] = useState<{ tariff: Tariff; scope: string } | null>(null);
  const remove = useDeleteTariff();
  const errors = useErrorTexts();
  return (
    <section aria-labelledby={headingId} className="rounded-lg bg-white shadow-sm">
      <h3 id={headingId} className="px-4 pt-3 text-lg font-semibold">
        {title} <span className="text-base font-normal text-slate-600">{subtitle}</span>
      </h3>
      {groups.length === 0 ? (
        <p className="px-4 pt-1 pb-4 text-slate-600">{empty}</p>
      ) : (
        <div className="relative">
          {/* fixed columns: the three services' tables line up under each other; on a phone, cards */}
          <table className="mt-2 w-full text-left max-sm:block sm:table-fixed">
            <colgroup className="max-sm:hidden">
              <col className="w-[34%]" />
              <col className="w-[16%]" />
              <col className="w-[19%]" />
              <col className="w-[13%]" />
              <col className="w-[18%]" />
            </colgroup>
            <thead className="bg-slate-100 text-sm text-slate-700 max-sm:sr-only">
              <tr>
                <th scope="col" className="px-4 py-2">
                  {t("columns.scope")}
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  {valueLabel}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("columns.validFrom")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("columns.state")}
                </th>
                <th scope="col" className="px-4 py-2">
                  <span className="sr-only">{t("columns.actions")}</span>
                </th>
              </tr>
            </thead>
            {groups.map((group) => (
              <tbody key={group.key} className="border-t-2 border-slate-200 max-sm:block">
                {group.rows.map(({ tariff, state }, i) =>
                  prices && isTariff(tariff) && editing === tariff.id ? (
                    <tr key={tariff.id} className="border-t border-slate-100 max-sm:block">
                      <td colSpan={5} className="px-4 py-3 max-sm:block">
                        <TariffEditForm tariff={tariff} scope={scopeLabel(group)} onDone={() => setEditing(null)} />
                      </td>
                    </tr>
                  ) : (
                    <tr
                      key={tariff.id}
                      className={`border-t border-slate-100 max-sm:flex max-sm:flex-wrap max-sm:items-center max-sm:gap-x-3 max-sm:gap-y-1 max-sm:px-4 max-sm:py-2 ${state === "inForce" ? "bg-green-50" : ""}`}
                    >
                      <td className={`px-4 py-2 max-sm:p-0 ${i === 0 ? "max-sm:basis-full" : ""}`}>
                        {i === 0 ? (
                          group.houseId !== null ? (
                            <Link prefetch={false} href={`/houses/${group.houseId}`} className="text-brand-700 hover:underline">
                              {scopeLabel(group)}
                            </Link>
                          ) : (
                            <span className="font-medium">{scopeLabel(group)}</span>
                          )
                        ) : (
                          <span className="sr-only">{scopeLabel(group)}</span>
                        )}
                      </td>
                      <td className="px-4 py-2 text-right tabular-nums whitespace-nowrap max-sm:p-0">{value(tariff)}</td>
                      <td className="px-4 py-2 max-sm:p-0">
                        <MonthName month={tariff.valid_from} />
                      </td>
                      <td className="px-4 py-2 max-sm:p-0">
                        <span className={`rounded px-2 py-0.5 text-sm font-medium ${STATE_CLASS[state]}`}>{t(`state.${state}`)}</span>
                      </td>
                      <td className="px-4 py-2 text-right whitespace-nowrap max-sm:ml-auto max-sm:p-0">
                        {prices && isTariff(tariff) && (tariff.closed || tariff.billed) && (
                          <span className="mr-3 text-sm text-slate-600">{t(tariff.closed ? "closed" : "billed")}</span>
                        )}
                        {prices && isTariff(tariff) && !tariff.closed && canManage(tariff.workspace_id) && (
                          <>
                            <button
                              type="button"
                              className={`${linkButton} mr-3`}
                              aria-label={t("edit.named", {
                                service: prices.service,
                                price: numbers.price(tariff.price),
                                scope: scopeLabel(group),
                              })}
                              onClick={() => setEditing(tariff.id)}
                            >
                              {t("edit.button")}
                            </button>
                            <button
                              type="button"
                              className={`${linkButton} text-red-800`}
                              aria-label={t("delete.named", {
                                service: prices.service,
                                price: numbers.price(tariff.price),
                                scope: scopeLabel(group),
                              })}
                              onClick={() => setDeleting({ tariff, scope: scopeLabel(group) })}
                            >
                              {t("delete.button")}
                            </button>
                          </>
                        )}
                      </td>
                    </tr>
                  ),
                )}
              </tbody>
            ))}
          </table>
        </div>
      )}
      <ConfirmDialog
        open={deleting !== null}
        title={t("delete.title")}
        message={
          deleting
            ? t("delete.text", { service: prices?.service ?? "", price: numbers.price(deleting.tariff.price), scope: deleting.scope })
            : ""
        }
        confirmLabel={t("delete.confirm")}
        pending={remove.isPending}
        error={remove.error ? errors.message(remove.error) : undefined}
        onConfirm={() => deleting && remove.mutate(deleting.tariff.id, { onSuccess: () => setDeleting(null) })}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      />
    </section>
  );
}

const isTariff = (row: HistoryRow): row is Tariff => "price" in row;

/** A price corrected in place: its amount and first month (the server refuses one reaching a posted month). */
function TariffEditForm({ tariff, scope, onDone }: { tariff: Tariff; scope: string; onDone: () => void }) {
  const t = useTranslations("tariffs.edit");
  const numbers = useNumbers();
  const update = useUpdateTariff();
  const [price, setPrice] = useState(numbers.input(tariff.price.replace(/(\.\d\d\d*?)0+$/, "$1")));
  const [validFrom, setValidFrom] = useState(tariff.valid_from);
  const error = useApiError(update.error, ["price", "valid_from"]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate({ id: tariff.id, price: price.replace(/[\s\u00a0\u202f]/g, ""), valid_from: validFrom }, { onSuccess: onDone });
  };
  return (
    <form
      onSubmit={submit}
      onKeyDown={(e) => e.key === "Escape" && onDone()}
      aria-label={t("form", { scope })}
      className="flex flex-wrap items-start gap-3"
      noValidate
    >
      <div className="w-36">
        <Field
          id={`tariff-${tariff.id}-price`}
          label={t("price")}
          inputMode="decimal"
          autoComplete="off"
          autoFocus
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          error={error.fields.price}
        />
      </div>
      <Field
        id={`tariff-${tariff.id}-from`}
        label={t("validFrom")}
        type="month"
        value={validFrom}
        onChange={(e) => setValidFrom(e.target.value)}
        error={error.fields.valid_from}
      />
      <SubmitButton className={`${buttonClass} mt-6`} disabled={update.isPending}>
        {t("save")}
      </SubmitButton>
      <button type="button" className={`${secondaryButtonClass} mt-6 px-4 py-2 text-base`} onClick={onDone}>
        {t("cancel")}
      </button>
      {error.form && (
        <p role="alert" className="w-full rounded bg-red-50 p-2 text-sm text-red-800">
          {error.form}
        </p>
      )}
    </form>
  );
}
