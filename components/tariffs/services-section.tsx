"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import type { UseQueryResult } from "@tanstack/react-query";
import { SERVICE_BASES, type ServiceBasis } from "@/lib/constants";
import type { Service, ServiceList } from "@/lib/schemas/responses";
import { FormError } from "../house/form";
import { useApiError } from "../ui/errors";
import { buttonClass, Field, secondaryButtonClass, SelectField } from "../ui/field";
import { SubmitButton } from "../ui/submit-button";
import { useCreateService, useSetServiceActive } from "./queries";

export type CatalogueService = Service;

/** The services to price, each code once (a person in several workspaces sees each code in each), in the catalogue's order. */
export function catalogue(items: Service[]): CatalogueService[] {
  const seen = new Set<string>();
  return items.filter((s) => !seen.has(s.code) && seen.add(s.code));
}

/** The workspace's services: what each bills by, whether it is billed now, and a form for a new one. */
export function ServicesSection({ services }: { services: UseQueryResult<ServiceList> }) {
  const t = useTranslations("tariffs.services");
  const common = useTranslations("common");
  const units = useTranslations("common.units");
  const locale = useLocale() === "en" ? "en" : "ru";
  const setActive = useSetServiceActive();
  return (
    <section aria-labelledby="services-heading" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
      <h2 id="services-heading" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="max-w-3xl text-sm text-slate-700">{t("intro")}</p>
      {services.isPending && <p role="status">{common("loading")}</p>}
      {services.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {common("loadFailed", { message: services.error.message })}
        </p>
      )}
      {services.isSuccess && (
        // relative: the sr-only header is positioned inside the scrolling box, not beside the page
        <div className="relative overflow-x-auto">
          <table className="w-full min-w-[32rem] text-left text-sm">
            <thead className="bg-slate-100 text-slate-700">
              <tr>
                <th scope="col" className="px-3 py-2">
                  {t("columns.name")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("columns.basis")}
                </th>
                <th scope="col" className="px-3 py-2">
                  {t("columns.state")}
                </th>
                <th scope="col" className="px-3 py-2">
                  <span className="sr-only">{t("columns.actions")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {services.data.items.map((s) => {
                const name = s[locale === "en" ? "name_en" : "name_ru"];
                return (
                  <tr key={s.id} className="border-t border-slate-100">
                    <th scope="row" className="px-3 py-2 font-normal">
                      <span className="font-medium">{name}</span> <code className="text-xs text-slate-600">{s.code}</code>
                    </th>
                    <td className="px-3 py-2">
                      {t(`basis.${s.basis}`)}, {units(s.unit)}
                    </td>
                    <td className="px-3 py-2">{s.active ? t("active") : t("inactive")}</td>
                    <td className="px-3 py-2 text-right">
                      <button
                        type="button"
                        className={secondaryButtonClass}
                        disabled={setActive.isPending}
                        aria-label={s.active ? t("switchOffNamed", { name }) : t("switchOnNamed", { name })}
                        onClick={() => setActive.mutate({ id: s.id, active: !s.active })}
                      >
                        {s.active ? t("switchOff") : t("switchOn")}
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <FormError message={setActive.error?.message} />
      <NewServiceForm />
    </section>
  );
}

function NewServiceForm() {
  const t = useTranslations("tariffs.services");
  const create = useCreateService();
  const [code, setCode] = useState("");
  const [nameRu, setNameRu] = useState("");
  const [nameEn, setNameEn] = useState("");
  const [basis, setBasis] = useState<ServiceBasis>("area");
  const errors = useApiError(create.error, ["code", "name_ru", "name_en", "basis"]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { code: code.trim(), name_ru: nameRu.trim(), name_en: nameEn.trim(), basis },
      { onSuccess: () => (setCode(""), setNameRu(""), setNameEn("")) },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="new-service-heading" className="space-y-3 border-t border-slate-200 pt-3">
      <p id="new-service-heading" className="text-sm font-medium">
        {t("new")}
      </p>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Field
          id="service-code"
          label={t("code")}
          value={code}
          maxLength={32}
          onChange={(e) => setCode(e.target.value)}
          error={errors.fields.code}
        />
        <Field
          id="service-name-ru"
          label={t("nameRu")}
          value={nameRu}
          maxLength={100}
          onChange={(e) => setNameRu(e.target.value)}
          error={errors.fields.name_ru}
        />
        <Field
          id="service-name-en"
          label={t("nameEn")}
          value={nameEn}
          maxLength={100}
          onChange={(e) => setNameEn(e.target.value)}
          error={errors.fields.name_en}
        />
        <SelectField
          id="service-basis"
          label={t("columns.basis")}
          value={basis}
          onChange={(e) => setBasis(e.target.value as ServiceBasis)}
          error={errors.fields.basis}
        >
          {SERVICE_BASES.map((b) => (
            <option key={b} value={b}>
              {t(`basis.${b}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton className={buttonClass} disabled={create.isPending}>
          {t("add")}
        </SubmitButton>
        {create.isSuccess && (
          <p role="status" className="text-sm text-green-800">
            {t("added", { code: create.data.code })}
          </p>
        )}
      </div>
      <FormError message={errors.form} />
    </form>
  );
}
