"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useWorkspaces } from "../accounts/queries";
import { useHouses } from "../houses/queries";
import { secondaryButtonClass } from "../ui/field";
import { MonthName } from "../ui/month";
import { groupHistory, type ScopeGroup, type TariffState } from "./history";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { useErrorTexts } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import { SERVICE_UNIT } from "@/lib/constants";
import { useTariffs, type Service } from "./queries";
import { SERVICES, TariffForm, type ScopeOption } from "./tariff-form";

const STATE_CLASS: Record<TariffState, string> = {
  inForce: "bg-green-100 text-green-900",
  upcoming: "bg-brand-100 text-brand-900",
  earlier: "bg-slate-100 text-slate-700",
};

export function TariffsView({ currentMonth }: { currentMonth: string }) {
  const t = useTranslations("tariffs");
  const common = useTranslations("common");
  // Three independent requests, in parallel: prices, house names, workspace names.
  const tariffs = useTariffs();
  const houses = useHouses("");
  const workspaces = useWorkspaces();
  const errors = useErrorTexts();

  const houseList = houses.data?.items ?? [];
  const houseIndex = new Map(houseList.map((h, i) => [h.id, i]));
  const houseName = (id: number) => houseList.find((h) => h.id === id)?.address ?? t("houseNumber", { id });
  const workspaceList = workspaces.data?.items ?? [];
  const several = workspaceList.length > 1;
  const workspaceName = (id: number) => workspaceList.find((w) => w.id === id)?.name ?? `#${id}`;
  const scopeLabel = (g: Pick<ScopeGroup, "houseId" | "workspaceId">) =>
    g.houseId !== null ? houseName(g.houseId) : several ? t("allHousesOf", { workspace: workspaceName(g.workspaceId) }) : t("allHouses");

  const scopes: ScopeOption[] = [
    ...(several
      ? workspaceList.map((w) => ({ value: `ws:${w.id}`, label: t("allHousesOf", { workspace: w.name }) }))
      : [{ value: "ws:", label: t("allHouses") }]),
    ...houseList.map((h) => ({ value: `house:${h.id}`, label: h.address })),
  ];

  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <Breadcrumbs items={[{ label: common("crumbs.tariffs") }]} />
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="max-w-3xl text-slate-700">{t("intro")}</p>
      </div>

      {workspaces.isPending || houses.isPending ? (
        <p role="status">{common("loading")}</p>
      ) : (
        <TariffForm key={scopes.map((s) => s.value).join()} scopes={scopes} currentMonth={currentMonth} />
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
          SERVICES.map((service) => (
            <ServiceHistory
              key={service}
              service={service}
              groups={groupHistory(
                tariffs.data.items.filter((p) => p.service === service),
                currentMonth,
                (id) => houseIndex.get(id) ?? Number.MAX_SAFE_INTEGER,
              )}
              scopeLabel={scopeLabel}
            />
          ))}
      </section>
    </div>
  );
}

function ServiceHistory({
  service,
  groups,
  scopeLabel,
}: {
  service: Service;
  groups: ScopeGroup[];
  scopeLabel: (g: ScopeGroup) => string;
}) {
  const t = useTranslations("tariffs");
  const services = useTranslations("common.services");
  const numbers = useNumbers();
  const headingId = `history-${service}`;
  const unit = numbers.unit(SERVICE_UNIT[service]);
  return (
    <section aria-labelledby={headingId} className="rounded-lg bg-white shadow-sm">
      <h3 id={headingId} className="px-4 pt-3 text-lg font-semibold">
        {services(service)} <span className="text-base font-normal text-slate-600">{t("perUnit", { unit })}</span>
      </h3>
      {groups.length === 0 ? (
        <p className="px-4 pt-1 pb-4 text-slate-600">{t("noPrices")}</p>
      ) : (
        <div className="overflow-x-auto">
          {/* fixed columns: the three services' tables line up under each other */}
          <table className="mt-2 w-full min-w-[36rem] table-fixed text-left">
            <colgroup>
              <col className="w-[40%]" />
              <col className="w-[18%]" />
              <col className="w-[22%]" />
              <col className="w-[20%]" />
            </colgroup>
            <thead className="bg-slate-100 text-sm text-slate-700">
              <tr>
                <th scope="col" className="sticky left-0 bg-slate-100 px-4 py-2">
                  {t("columns.scope")}
                </th>
                <th scope="col" className="px-4 py-2 text-right">
                  {t("columns.price")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("columns.validFrom")}
                </th>
                <th scope="col" className="px-4 py-2">
                  {t("columns.state")}
                </th>
              </tr>
            </thead>
            {groups.map((group) => (
              <tbody key={group.key} className="border-t-2 border-slate-200">
                {group.rows.map(({ tariff, state }, i) => (
                  <tr key={tariff.id} className={`border-t border-slate-100 ${state === "inForce" ? "bg-green-50" : ""}`}>
                    <td className={`sticky left-0 px-4 py-2 ${state === "inForce" ? "bg-green-50" : "bg-white"}`}>
                      {i === 0 ? (
                        group.houseId !== null ? (
                          <Link href={`/houses/${group.houseId}`} className="text-brand-700 hover:underline">
                            {scopeLabel(group)}
                          </Link>
                        ) : (
                          <span className="font-medium">{scopeLabel(group)}</span>
                        )
                      ) : (
                        <span className="sr-only">{scopeLabel(group)}</span>
                      )}
                    </td>
                    <td className="px-4 py-2 text-right tabular-nums">{numbers.price(tariff.price)}</td>
                    <td className="px-4 py-2">
                      <MonthName month={tariff.valid_from} />
                    </td>
                    <td className="px-4 py-2">
                      <span className={`rounded px-2 py-0.5 text-sm font-medium ${STATE_CLASS[state]}`}>{t(`state.${state}`)}</span>
                    </td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </section>
  );
}
