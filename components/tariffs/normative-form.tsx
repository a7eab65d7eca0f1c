"use client";

import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { METER_SERVICES, type MeterService } from "@/lib/constants";
import { FormError } from "../house/form";
import { useApiError } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import { buttonClass, Field, SelectField } from "../ui/field";
import { MonthName } from "../ui/month";
import { SubmitButton } from "../ui/submit-button";
import { useCreateNormative } from "./queries";
import { ScopeSelect, scopeFields, toDecimal, type ScopeOption } from "./tariff-form";

/** A new normative (m³ per registered person per month) from a month on, for a workspace or one house. */
export function NormativeForm({ scopes, currentMonth }: { scopes: ScopeOption[]; currentMonth: string }) {
  const t = useTranslations("tariffs.normatives");
  const services = useTranslations("common.services");
  const create = useCreateNormative();
  const [service, setService] = useState<MeterService>("cold_water");
  const [value, setValue] = useState("");
  const [validFrom, setValidFrom] = useState(currentMonth);
  const [scope, setScope] = useState(scopes[0]?.value ?? "ws:");
  const errors = useApiError(create.error, ["service", "value", "valid_from", "house_id", "workspace_id"]);
  const numbers = useNumbers();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ service, value: toDecimal(value), valid_from: validFrom, ...scopeFields(scope) }, { onSuccess: () => setValue("") });
  };

  return (
    <form onSubmit={submit} noValidate aria-label={t("new")} className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
      <p className="font-medium">{t("new")}</p>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <SelectField
          id="normative-service"
          label={t("service")}
          value={service}
          onChange={(e) => setService(e.target.value as MeterService)}
          error={errors.fields.service}
        >
          {METER_SERVICES.map((s) => (
            <option key={s} value={s}>
              {services(s)}
            </option>
          ))}
        </SelectField>
        <Field
          id="normative-value"
          label={t("valueLabel")}
          inputMode="decimal"
          autoComplete="off"
          placeholder="6,935"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={errors.fields.value}
        />
        <Field
          id="normative-valid-from"
          label={t("validFrom")}
          type="month"
          value={validFrom}
          onChange={(e) => setValidFrom(e.target.value)}
          error={errors.fields.valid_from}
        />
        <ScopeSelect
          id="normative-scope"
          label={t("scope")}
          scopes={scopes}
          value={scope}
          onChange={setScope}
          error={errors.fields.house_id ?? errors.fields.workspace_id}
        />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton className={buttonClass} disabled={create.isPending}>
          {t("add")}
        </SubmitButton>
        {create.isSuccess && (
          <p role="status" className="text-green-800">
            {t.rich("added", {
              service: services(create.data.service),
              value: numbers.decimal(create.data.value, 4),
              month: () => <MonthName month={create.data.valid_from} />,
            })}
          </p>
        )}
      </div>
      <FormError message={errors.form} />
    </form>
  );
}
