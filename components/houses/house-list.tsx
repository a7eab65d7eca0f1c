"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { buttonClass, Field } from "../ui/field";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { useApiError, useErrorTexts } from "../ui/errors";
import { MonthName } from "../ui/month";
import { useNumbers } from "../ui/numbers";
import { SubmitButton } from "../ui/submit-button";
import { RoleNote, useCanAnywhere } from "../accounts/roles";
import { ROLES } from "@/lib/auth/roles";
import { useCreateHouse, useHouses } from "./queries";

/** A number of the list: a column on a desktop, "label: value" on a phone's card. */
const CELL =
  "px-4 py-2 text-right tabular-nums max-sm:p-0 max-sm:text-sm max-sm:text-slate-700 max-sm:before:mr-1 max-sm:before:text-slate-500 max-sm:before:content-[attr(data-label)':']";

export function HouseList() {
  const t = useTranslations("houses");
  const common = useTranslations("common");
  const [search, setSearch] = useState("");
  const houses = useHouses(search.trim());
  const errors = useErrorTexts();
  const numbers = useNumbers();
  const manage = useCanAnywhere(ROLES.manage);

  return (
    <section aria-labelledby="houses-heading" className="space-y-4">
      <Breadcrumbs items={[{ label: common("crumbs.houses") }]} />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <h1 id="houses-heading" className="text-2xl font-semibold">
          {t("title")}
        </h1>
        <Field id="house-search" type="search" label={t("search")} value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>

      {houses.isPending && <p role="status">…</p>}
      {houses.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {t("loadFailed", { message: errors.message(houses.error) })}
        </p>
      )}
      {houses.isSuccess &&
        (houses.data.items.length === 0 ? (
          <p className="text-slate-600">{search ? t("nothingFound") : t("empty")}</p>
        ) : (
          <div className="rounded-lg bg-white shadow-sm">
            <table className="w-full text-left max-sm:block">
              <thead className="bg-slate-100 text-sm text-slate-700 max-sm:sr-only">
                <tr>
                  <th scope="col" className="px-4 py-2">
                    {t("columns.address")}
                  </th>
                  <th scope="col" className="px-4 py-2 text-right">
                    {t("columns.apartments")}
                  </th>
                  <th scope="col" className="px-4 py-2 text-right">
                    {t("columns.area")}
                  </th>
                  <th scope="col" className="px-4 py-2 text-right">
                    {t("columns.lastBilled")}
                  </th>
                </tr>
              </thead>
              <tbody className="max-sm:block">
                {houses.data.items.map((h) => (
                  <tr key={h.id} className="border-t border-slate-100 max-sm:flex max-sm:flex-wrap max-sm:gap-x-4 max-sm:px-3 max-sm:py-2">
                    <td className="px-4 py-2 max-sm:basis-full max-sm:p-0">
                      <Link prefetch={false} href={`/houses/${h.id}`} className="break-words text-brand-700 hover:underline">
                        {h.address}
                      </Link>
                    </td>
                    <td className={CELL} data-label={t("columns.apartments")}>
                      {h.apartments_count}
                    </td>
                    <td className={CELL} data-label={t("columns.area")}>
                      {numbers.area(h.total_area)}
                    </td>
                    <td className={`${CELL}`} data-label={t("columns.lastBilled")}>
                      {h.last_billed_period ? <MonthName month={h.last_billed_period} /> : t("neverBilled")}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ))}

      {manage.allowed ? <CreateHouseForm /> : <RoleNote check={manage} />}
    </section>
  );
}

function CreateHouseForm() {
  const t = useTranslations("houses");
  const [address, setAddress] = useState("");
  const create = useCreateHouse();
  const error = useApiError(create.error, ["address"]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(address, { onSuccess: () => setAddress("") });
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm" noValidate>
      <div className="min-w-72 flex-1">
        <Field
          id="new-house-address"
          label={t("newAddress")}
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          error={error.fields.address ?? error.form}
        />
      </div>
      <SubmitButton disabled={create.isPending} className={buttonClass}>
        {t("create")}
      </SubmitButton>
    </form>
  );
}
