"use client";

import { useTranslations } from "next-intl";
import { useApartment } from "../apartment/queries";
import { useHouseSummary } from "../houses/queries";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { HistoryList } from "./history-list";
import { useApartmentHistory } from "./queries";

/** An apartment's history, its meters and readings included (also once the apartment is deleted). */
export function ApartmentHistoryView({ id }: { id: number }) {
  const t = useTranslations("history");
  const common = useTranslations("common");
  const apartment = useApartment(id);
  const house = useHouseSummary(apartment.data?.house_id);
  const history = useApartmentHistory(id);
  const number = apartment.data?.number ?? `#${id}`;
  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <Breadcrumbs
          items={[
            { label: common("crumbs.houses"), href: "/houses" },
            ...(apartment.data ? [{ label: house.data?.address ?? "…", href: `/houses/${apartment.data.house_id}` }] : []),
            { label: common("crumbs.apartment", { number }), href: apartment.isSuccess ? `/apartments/${id}` : undefined },
            { label: common("crumbs.history") },
          ]}
        />
        <h1 className="text-2xl font-semibold">{t("apartmentTitle", { number })}</h1>
        <p className="text-slate-700">{t("apartmentIntro")}</p>
      </div>
      <HistoryList query={history} />
    </div>
  );
}
