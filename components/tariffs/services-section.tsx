"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import type { UseQueryResult } from "@tanstack/react-query";
import { SERVICE_BASES, type ServiceBasis } from "@/lib/constants";
import type { HouseSummary, Service, ServiceList } from "@/lib/schemas/responses";
import { ConfirmDialog } from "../house/confirm-dialog";
import { FormError, formSecondaryButtonClass } from "../house/form";
import { useApiError, useErrorTexts } from "../ui/errors";
import { buttonClass, dangerButtonClass, Field, secondaryButtonClass, SelectField } from "../ui/field";
import { SubmitButton } from "../ui/submit-button";
import { useCreateService, useDeleteService, useUpdateService } from "./queries";

export type CatalogueService = Service;

/** The services to price, each code once (a person in several workspaces sees each code in each), in the catalogue's order. */
export function catalogue(items: Service[]): CatalogueService[] {
  const seen = new Set<string>();
  return items.filter((s) => !seen.has(s.code) && seen.add(s.code));
}

/** A house a service can be switched off for. */
export type ServiceHouse = Pick<HouseSummary, "id" | "workspace_id" | "address">;

/**
 * The workspace's services: what each bills by, whether it is billed now and in which houses
 * not, with a form for a new one. A service can be renamed and switched off for chosen houses;
 * deleted only while no invoice has a line of it (the server refuses otherwise, so the page
 * does not offer it).
 */
export function ServicesSection({
  services,
  houses,
  canManage,
  canCreate,
}: {
  services: UseQueryResult<ServiceList>;
  houses: ServiceHouse[];
  /** the person's role in the workspace lets them change its services */
  canManage: (workspaceId: number) => boolean;
  /** some workspace of theirs lets them add a service (it goes to the first such) */
  canCreate: boolean;
}) {
  const t = useTranslations("tariffs.services");
  const common = useTranslations("common");
  const units = useTranslations("common.units");
  const locale = useLocale() === "en" ? "en" : "ru";
  const errors = useErrorTexts();
  const setActive = useUpdateService();
  const remove = useDeleteService();
  const [editing, setEditing] = useState<number | null>(null);
  const [deleting, setDeleting] = useState<Service | null>(null);
  const nameOf = (s: Service) => s[locale === "en" ? "name_en" : "name_ru"];
  const tariffs = useTranslations("tariffs");
  const address = (id: number) => houses.find((h) => h.id === id)?.address ?? tariffs("houseNumber", { id });
  return (
    <section aria-labelledby="services-heading" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
      <h2 id="services-heading" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="max-w-3xl text-sm text-slate-700">{t("intro")}</p>
      {services.isPending && <p role="status">{common("loading")}</p>}
      {services.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {common("loadFailed", { message: errors.message(services.error) })}
        </p>
      )}
      {services.isSuccess && (
        // on a phone each service is a card: no column is cut off and nothing scrolls sideways
        <table className="w-full text-left text-sm max-sm:block">
          <thead className="bg-slate-100 text-slate-700 max-sm:sr-only">
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
          <tbody className="max-sm:block">
            {services.data.items.map((s) => {
              const name = nameOf(s);
              if (editing === s.id)
                return (
                  <tr key={s.id} className="border-t border-slate-100 max-sm:block">
                    <td colSpan={4} className="px-3 py-3 max-sm:block max-sm:px-0">
                      <ServiceEditForm
                        service={s}
                        name={name}
                        houses={houses.filter((h) => h.workspace_id === s.workspace_id)}
                        onDone={() => setEditing(null)}
                      />
                    </td>
                  </tr>
                );
              return (
                <tr
                  key={s.id}
                  className="border-t border-slate-100 max-sm:flex max-sm:flex-wrap max-sm:items-center max-sm:gap-x-3 max-sm:gap-y-1 max-sm:py-2"
                >
                  <th scope="row" className="px-3 py-2 font-normal max-sm:basis-full max-sm:p-0">
                    <span className="font-medium">{name}</span> <code className="text-xs text-slate-600">{s.code}</code>
                    {s.billed && (
                      <span className="ml-2 inline-block rounded bg-slate-100 px-1.5 py-0.5 text-xs whitespace-nowrap text-slate-700">
                        {t("billed")}
                      </span>
                    )}
                  </th>
                  <td className="px-3 py-2 max-sm:p-0">
                    {t(`basis.${s.basis}`)}, {units(s.unit)}
                  </td>
                  <td className="px-3 py-2 max-sm:p-0">
                    {s.active ? t("active") : t("inactive")}
                    {s.switched_off_houses.length > 0 && (
                      <span className="block text-xs text-slate-700">
                        {" "}
                        {t("offFor", { count: s.switched_off_houses.length, houses: s.switched_off_houses.map(address).join("; ") })}
                      </span>
                    )}
                  </td>
                  <td className="px-3 py-2 text-right max-sm:ml-auto max-sm:p-0">
                    {canManage(s.workspace_id) && (
                      <div className="flex flex-wrap justify-end gap-2 sm:flex-nowrap">
                        <button
                          type="button"
                          className={secondaryButtonClass}
                          aria-label={t("editNamed", { name })}
                          onClick={() => setEditing(s.id)}
                        >
                          {t("edit")}
                        </button>
                        <button
                          type="button"
                          className={secondaryButtonClass}
                          disabled={setActive.isPending}
                          aria-label={s.active ? t("switchOffNamed", { name }) : t("switchOnNamed", { name })}
                          onClick={() => setActive.mutate({ id: s.id, active: !s.active })}
                        >
                          {s.active ? t("switchOff") : t("switchOn")}
                        </button>
                        {!s.billed && (
                          <button
                            type="button"
                            className={dangerButtonClass}
                            aria-label={t("deleteNamed", { name })}
                            onClick={() => setDeleting(s)}
                          >
                            {t("delete")}
                          </button>
                        )}
                      </div>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <FormError message={setActive.error ? errors.message(setActive.error) : undefined} />
      <ConfirmDialog
        open={deleting !== null}
        title={t("deleteTitle")}
        message={deleting ? t("deleteText", { name: nameOf(deleting), code: deleting.code }) : ""}
        confirmLabel={t("deleteConfirm")}
        pending={remove.isPending}
        error={remove.error ? errors.message(remove.error) : undefined}
        onConfirm={() => deleting && remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      />
      {canCreate && <NewServiceForm />}
    </section>
  );
}

/** A service's names (ru and en) and the houses of its workspace it is not billed in. */
function ServiceEditForm({
  service,
  name,
  houses,
  onDone,
}: {
  service: Service;
  name: string;
  houses: ServiceHouse[];
  onDone: () => void;
}) {
  const t = useTranslations("tariffs.services");
  const update = useUpdateService();
  const [nameRu, setNameRu] = useState(service.name_ru);
  const [nameEn, setNameEn] = useState(service.name_en);
  const [off, setOff] = useState(() => new Set(service.switched_off_houses));
  const errors = useApiError(update.error, ["name_ru", "name_en", "switched_off_houses"]);
  const id = `service-${service.id}`;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    update.mutate(
      { id: service.id, name_ru: nameRu.trim(), name_en: nameEn.trim(), switched_off_houses: [...off].sort((a, b) => a - b) },
      { onSuccess: onDone },
    );
  };
  const toggle = (houseId: number, checked: boolean) =>
    setOff((current) => {
      const next = new Set(current);
      if (checked) next.add(houseId);
      else next.delete(houseId);
      return next;
    });
  return (
    <form
      onSubmit={submit}
      onKeyDown={(e) => e.key === "Escape" && onDone()}
      aria-label={t("editNamed", { name })}
      className="space-y-3"
      noValidate
    >
      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          id={`${id}-name-ru`}
          label={t("nameRu")}
          value={nameRu}
          maxLength={100}
          autoFocus
          onChange={(e) => setNameRu(e.target.value)}
          error={errors.fields.name_ru}
        />
        <Field
          id={`${id}-name-en`}
          label={t("nameEn")}
          value={nameEn}
          maxLength={100}
          onChange={(e) => setNameEn(e.target.value)}
          error={errors.fields.name_en}
        />
      </div>
      <fieldset aria-describedby={errors.fields.switched_off_houses ? `${id}-houses-error` : undefined}>
        <legend className="mb-1 text-sm font-medium">{t("offHouses")}</legend>
        {houses.length === 0 ? (
          <p className="text-sm text-slate-600">{t("noHouses")}</p>
        ) : (
          <ul className="max-h-48 space-y-1 overflow-y-auto">
            {houses.map((h) => (
              <li key={h.id}>
                <label className="flex items-start gap-2 text-sm">
                  <input type="checkbox" className="mt-0.5" checked={off.has(h.id)} onChange={(e) => toggle(h.id, e.target.checked)} />
                  <span className="break-words">{h.address}</span>
                </label>
              </li>
            ))}
          </ul>
        )}
        {errors.fields.switched_off_houses && (
          <p id={`${id}-houses-error`} className="mt-1 text-sm text-red-800">
            {errors.fields.switched_off_houses}
          </p>
        )}
      </fieldset>
      <div className="flex flex-wrap gap-3">
        <SubmitButton className={buttonClass} disabled={update.isPending}>
          {t("save")}
        </SubmitButton>
        <button type="button" className={formSecondaryButtonClass} onClick={onDone}>
          {t("cancel")}
        </button>
      </div>
      <FormError message={errors.form} />
    </form>
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
