"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { buttonClass, Field, SelectField } from "../ui/field";
import { MonthName } from "../ui/month";
import { SubmitButton } from "../ui/submit-button";
import { useApiError } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import { useCreateTariff } from "./queries";
import type { CatalogueService } from "./services-section";

export interface ScopeOption {
  /** "ws:<id>" (a workspace default) or "house:<id>" */
  value: string;
  label: string;
}

/** The scope select's value as the API's fields: a house's own, or a workspace's default. */
export const scopeFields = (scope: string) => {
  const [kind, id] = scope.split(":");
  return kind === "house" ? { house_id: Number(id) } : id ? { workspace_id: Number(id) } : {};
};

/** Typed the Russian way ("1 234,50"): the same exact decimal with a dot, never a float. */
export const toDecimal = (text: string) => text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");

/** Where a price or a normative applies: every house of a workspace, or one house. */
export function ScopeSelect(props: {
  id: string;
  label: string;
  scopes: ScopeOption[];
  value: string;
  onChange: (value: string) => void;
  error?: string;
}) {
  return (
    <SelectField id={props.id} label={props.label} value={props.value} onChange={(e) => props.onChange(e.target.value)} error={props.error}>
      {props.scopes.map((s) => (
        <option key={s.value} value={s.value}>
          {s.label}
        </option>
      ))}
    </SelectField>
  );
}

/** A new price from a month on, for every house of a workspace or for one house. */
export function TariffForm({
  scopes,
  services,
  currentMonth,
}: {
  scopes: ScopeOption[];
  services: CatalogueService[];
  currentMonth: string;
}) {
  const t = useTranslations("tariffs.form");
  const locale = useLocale() === "en" ? "en" : "ru";
  const create = useCreateTariff();
  const [service, setService] = useState(services[0]?.code ?? "cold_water");
  const [price, setPrice] = useState("");
  const [validFrom, setValidFrom] = useState(currentMonth);
  const [scope, setScope] = useState(scopes[0]?.value ?? "ws:");

  const numbers = useNumbers();
  const error = useApiError(create.error, ["service", "price", "valid_from", "house_id", "workspace_id"]);
  const fieldError = (...names: string[]) => names.map((n) => error.fields[n]).find(Boolean);

  const chosen = services.find((s) => s.code === service);
  const nameOf = (code: string) => {
    const found = services.find((s) => s.code === code);
    return found ? found[locale === "en" ? "name_en" : "name_ru"] : code;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate({ service, price: toDecimal(price), valid_from: validFrom, ...scopeFields(scope) }, { onSuccess: () => setPrice("") });
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
          onChange={(e) => setService(e.target.value)}
          error={fieldError("service")}
        >
          {services.map((s) => (
            <option key={s.code} value={s.code}>
              {nameOf(s.code)}
            </option>
          ))}
        </SelectField>
        <Field
          id="tariff-price"
          label={t("price", { unit: numbers.unit(chosen?.unit ?? "m3") })}
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
        <ScopeSelect
          id="tariff-scope"
          label={t("scope")}
          scopes={scopes}
          value={scope}
          onChange={setScope}
          error={fieldError("house_id", "workspace_id")}
        />
      </div>
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton className={buttonClass} disabled={create.isPending}>
          {t("submit")}
        </SubmitButton>
        {create.isSuccess && (
          <p role="status" className="text-green-800">
            {t.rich("added", {
              service: nameOf(create.data.service),
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
