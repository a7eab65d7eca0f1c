"use client";

import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { RESIDENT_KINDS, type ResidentKind } from "@/lib/constants";
import { FormError } from "../house/form";
import { useApiError, useErrorTexts } from "../ui/errors";
import { buttonClass, dangerButtonClass, Field, SelectField } from "../ui/field";
import { SubmitButton } from "../ui/submit-button";
import { useAddResident, useRemoveResident, useResidents } from "./queries";

const card = "rounded-lg bg-white p-4 shadow-sm space-y-3";

/**
 * The apartment's residents on its page (issue 18): the phones that may send its readings from
 * /my. Shown to the roles that see them (phones are personal data); `editable` for those who
 * may change them.
 */
export function ResidentsSection({ apartmentId, editable }: { apartmentId: number; editable: boolean }) {
  const t = useTranslations("residents.manage");
  const kinds = useTranslations("residents.kind");
  const errors = useErrorTexts();
  const residents = useResidents(apartmentId);
  const add = useAddResident(apartmentId);
  const remove = useRemoveResident(apartmentId);
  const error = useApiError(add.error, ["phone", "kind", "name"]);
  const [phone, setPhone] = useState("");
  const [kind, setKind] = useState<ResidentKind>("owner");
  const [name, setName] = useState("");
  const [note, setNote] = useState("");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setNote("");
    add.mutate(
      { phone, kind, ...(name.trim() ? { name } : {}) },
      {
        onSuccess: (made) => {
          setNote(t("added", { phone: (made as { phone: string }).phone }));
          setPhone("");
          setName("");
        },
      },
    );
  };
  return (
    <section className={card} aria-labelledby="residents-heading">
      <h2 id="residents-heading" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="text-sm text-slate-600">{t("hint")}</p>
      {residents.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {errors.message(residents.error)}
        </p>
      )}
      {residents.data?.items.length === 0 && <p className="text-slate-600">{t("none")}</p>}
      <ul className="divide-y divide-slate-100">
        {residents.data?.items.map((r) => (
          <li key={r.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
            <span className="font-medium tabular-nums">{r.phone}</span>
            <span className="text-slate-600">{kinds(r.kind)}</span>
            {r.name && <span>{r.name}</span>}
            {editable && (
              <button
                type="button"
                className={`${dangerButtonClass} ml-auto`}
                aria-label={t("removeNamed", { phone: r.phone })}
                disabled={remove.isPending}
                onClick={() => remove.mutate(r.id, { onSuccess: () => setNote(t("removed", { phone: r.phone })) })}
              >
                {t("remove")}
              </button>
            )}
          </li>
        ))}
      </ul>
      {remove.isError && <FormError message={errors.message(remove.error)} />}
      {editable && (
        <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[1fr_auto_1fr_auto] sm:items-end" noValidate>
          <Field
            id="resident-phone"
            label={t("phone")}
            type="tel"
            autoComplete="off"
            placeholder="+7 999 123-45-67"
            value={phone}
            onChange={(e) => (setPhone(e.target.value), add.reset())}
            error={error.fields.phone}
          />
          <SelectField id="resident-kind" label={t("kind")} value={kind} onChange={(e) => setKind(e.target.value as ResidentKind)}>
            {RESIDENT_KINDS.map((k) => (
              <option key={k} value={k}>
                {kinds(k)}
              </option>
            ))}
          </SelectField>
          <Field id="resident-name" label={t("name")} value={name} onChange={(e) => setName(e.target.value)} error={error.fields.name} />
          <SubmitButton className={buttonClass} disabled={add.isPending}>
            {t("add")}
          </SubmitButton>
          <FormError message={error.form} />
        </form>
      )}
      <p role="status" className="text-sm text-green-800 empty:hidden">
        {note}
      </p>
    </section>
  );
}
