"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { HISTORY_ENTITIES, type HistoryEntity } from "@/lib/constants";
import type { HistoryEntry } from "@/lib/schemas/responses";
import { card } from "../house/ui";
import { Field, SelectField, secondaryButtonClass } from "../ui/field";
import { HistoryList } from "./history-list";
import { useWorkspaceHistory, type HistoryFilters } from "./queries";

/** Who wrote: "p:<person id>" or "k:<API key id>", the select's value. */
type WhoOption = { value: string; label: string };

/** The workspace's history with its filters: who, what, when. */
export function HistoryView() {
  const t = useTranslations("history");
  const [filters, setFilters] = useState<HistoryFilters>({});
  const query = useWorkspaceHistory(filters);
  // The people and keys met so far in the history (the unfiltered first page, then whatever was
  // loaded): the "who" choices, kept when a filter narrows the list.
  const [writers, setWriters] = useState<WhoOption[]>([]);
  const seen = query.data
    ? newWriters(
        query.data.pages.flatMap((p) => p.items),
        writers,
        t,
      )
    : [];
  if (seen.length > 0) setWriters([...writers, ...seen]);

  const whoValue = filters.person_id ? `p:${filters.person_id}` : filters.api_key_id ? `k:${filters.api_key_id}` : "";
  const setWho = (value: string) => {
    const [kind, id] = value.split(":");
    setFilters(({ person_id: _p, api_key_id: _k, ...rest }) => ({
      ...rest,
      ...(kind === "p" ? { person_id: Number(id) } : kind === "k" ? { api_key_id: Number(id) } : {}),
    }));
  };
  const set = <K extends keyof HistoryFilters>(key: K, value: HistoryFilters[K] | "") =>
    setFilters((current) => {
      const next = { ...current };
      if (value === "" || value === undefined) delete next[key];
      else next[key] = value;
      return next;
    });

  return (
    <div className="space-y-4">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <p className="max-w-3xl text-slate-700">{t("intro")}</p>
      </div>
      <fieldset className={`${card} grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-5 lg:items-end`}>
        <legend className="sr-only">{t("filters.legend")}</legend>
        <SelectField id="history-who" label={t("filters.who")} value={whoValue} onChange={(e) => setWho(e.target.value)}>
          <option value="">{t("filters.anyone")}</option>
          {writers.map((w) => (
            <option key={w.value} value={w.value}>
              {w.label}
            </option>
          ))}
        </SelectField>
        <SelectField
          id="history-what"
          label={t("filters.what")}
          value={filters.entity ?? ""}
          onChange={(e) => set("entity", e.target.value as HistoryEntity | "")}
        >
          <option value="">{t("filters.anything")}</option>
          {HISTORY_ENTITIES.map((entity) => (
            <option key={entity} value={entity}>
              {t(`entityFilter.${entity}`)}
            </option>
          ))}
        </SelectField>
        <Field
          id="history-from"
          type="date"
          label={t("filters.from")}
          value={filters.from ?? ""}
          onChange={(e) => set("from", e.target.value)}
        />
        <Field id="history-to" type="date" label={t("filters.to")} value={filters.to ?? ""} onChange={(e) => set("to", e.target.value)} />
        <div>
          <button
            type="button"
            className={secondaryButtonClass}
            disabled={Object.keys(filters).length === 0}
            onClick={() => setFilters({})}
          >
            {t("filters.reset")}
          </button>
        </div>
      </fieldset>
      <HistoryList query={query} />
    </div>
  );
}

/** The writers of these entries not among `known`. */
function newWriters(entries: HistoryEntry[], known: WhoOption[], t: ReturnType<typeof useTranslations>): WhoOption[] {
  const values = new Set(known.map((w) => w.value));
  const found: WhoOption[] = [];
  for (const { who } of entries) {
    const option =
      who.kind === "api_key" && who.api_key_id
        ? {
            value: `k:${who.api_key_id}`,
            label: who.api_key_name ? t("who.apiKey", { name: who.api_key_name }) : t("who.deletedKey", { id: who.api_key_id }),
          }
        : who.kind === "person" && who.person_id
          ? { value: `p:${who.person_id}`, label: who.phone ?? `#${who.person_id}` }
          : null;
    if (option && !values.has(option.value)) {
      values.add(option.value);
      found.push(option);
    }
  }
  return found;
}
