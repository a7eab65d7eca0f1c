"use client";

import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { buttonClass, Field, SelectField } from "../ui/field";
import { MonthName } from "../ui/month";
import { SubmitButton } from "../ui/submit-button";
import { useApiError } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import { SERVICE_UNIT } from "@/lib/constants";
import { useCreateTariff, type Service } from "./queries";

export const SERVICES: Service[] = ["cold_water", "hot_water", "maintenance"];

export interface ScopeOption {
  /** "ws:<id>" (a workspace default) or "house:<id>" */
  value: string;
  label: string;
}

/** A new price from a month on, for every house of a workspace or for one house. */
export function TariffForm({ scopes, currentMonth }: { scopes: ScopeOption[]; currentMonth: string }) {
  const t = useTranslations("tariffs.form");
  const services = useTranslations("common.services");
  const create = useCreateTariff();
  const [service, setService] = useState<Service>("cold_water");
  const [price, setPrice] = useState("");
  const [validFrom, setValidFrom] = useState(currentMonth);
  const [scope, setScope] = useState(scopes[0]?.value ?? "ws:");

  const numbers = useNumbers();
  const error = useApiError(create.error, ["service", "price", "valid_from", "house_id", "workspace_id"]);
  const fieldError = (...names: string[]) => names.map((n) => error.fields[n]).find(Boolean);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const [kind, id] = scope.split(":");
    create.mutate(
      {
        service,
        // Typed the Russian way ("1 234,50"): the spaces go; the API takes the comma as it is.
        price: price.replace(/[\s\u00a0\u202f]/g, ""),
        valid_from: validFrom,
        ...(kind === "house" ? { house_id: Number(id) } : id ? { workspace_id: Number(id) } : {}),
      },
      { onSuccess: () => setPrice("") },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="new-price-heading" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
      <h2 id="new-price-heading" className="text-lg font-semibold">
        {t("heading")}
      </h2>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <SelectField
          id="tariff-service"
          label={t("service")}
          value={service}
          onChange={(e) => setService(e.target.value as Service)}
          error={fieldError("service")}
        >
          {SERVICES.map((s) => (
            <option key={s} value={s}>
              {services(s)}
            </option>
          ))}
        </SelectField>
        <Field
          id="tariff-price"
          label={t("price", { unit: numbers.unit(SERVICE_UNIT[service]) })}
          inputMode="decimal"
          autoComplete="off"
          placeholder={numbers.input("45.50")}
          value={price}
          onChange={(e) => setPrice(e.target.value)}
          error={fieldError("price")}
        />
        <Field
          id="tariff-valid-from"
          label={t("validFrom")}
          type="month"
          value={validFrom}
          onChange={(e) => setValidFrom(e.target.value)}
          error={fieldError("valid_from")}
        />
        <SelectField
          id="tariff-scope"
          label={t("scope")}
          value={scope}
          onChange={(e) => setScope(e.target.value)}
          error={fieldError("house_id", "workspace_id")}
        >
          {scopes.map((s) => (
            <option key={s.value} value={s.value}>
              {s.label}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton className={buttonClass} disabled={create.isPending}>
          {t("submit")}
        </SubmitButton>
        {create.isSuccess && (
          <p role="status" className="text-green-800">
            {t.rich("added", {
              service: services(create.data.service),
              price: numbers.price(create.data.price),
              month: () => <MonthName month={create.data.valid_from} />,
            })}
          </p>
        )}
      </div>
      {error.form && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {error.form}
        </p>
      )}
    </form>
  );
}
