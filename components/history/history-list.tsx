"use client";

import Link from "next/link";
import { useLocale, useTranslations } from "next-intl";
import type { InfiniteData, UseInfiniteQueryResult } from "@tanstack/react-query";
import { card, LoadError } from "../house/ui";
import { secondaryButtonClass } from "../ui/field";
import { useDateLabels, type DateLabels } from "../ui/dates";
import { useErrorTexts } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import type { HistoryEntity } from "@/lib/constants";
import type { NumberFormats } from "@/lib/format";
import type { HistoryEntry, HistoryPage } from "@/lib/schemas/responses";

type Translate = ReturnType<typeof useTranslations>;

// Columns every row has and nobody edits: left out of what an entry shows.
const NOISE = new Set(["id", "workspace_id", "created_at", "updated_at", "created_by_id"]);
// What a creation or a deletion shows of the row, by entity (the rest is in the API's answer).
const SHOWN: Record<HistoryEntity, string[]> = {
  // its generated name ("Workspace +7…") is not the reader's language: the entry says enough
  workspace: [],
  member: ["role", "status"],
  api_key: ["name", "role", "key_prefix"],
  house: ["address"],
  apartment: ["number", "area", "residents"],
  meter: ["serial_number", "service", "installed_on", "verified_until"],
  reading: ["value"],
  service: ["code", "name_ru", "name_en", "basis", "active"],
  service_house_off: [],
  tariff: ["price", "valid_from"],
  normative: ["service", "value", "valid_from"],
  billing_run: [],
  month: [],
  ledger: ["kind", "entry_date", "amount", "period", "external_id", "reason"],
  key_rate: ["valid_from", "percent"],
  payment_import: ["file_name", "status", "rows_ok"],
  receipt_batch: ["period"],
  resident: ["phone", "kind", "name"],
  reading_import: ["file_name", "status"],
};
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const DECIMAL = /^-?\d+\.(\d+)$/;

/** The entries of a history query, newest first, with "show older" while there are more. */
export function HistoryList({ query }: { query: UseInfiniteQueryResult<InfiniteData<HistoryPage>> }) {
  const t = useTranslations("history");
  const errors = useErrorTexts();
  if (query.isPending) {
    return (
      <p role="status" className="text-slate-600">
        {t("loading")}
      </p>
    );
  }
  if (!query.data) {
    return <LoadError message={t("loadFailed", { message: errors.message(query.error) })} onRetry={() => query.refetch()} />;
  }
  const entries = query.data.pages.flatMap((page) => page.items);
  return (
    <div className="space-y-3">
      {entries.length === 0 ? (
        <p className={`${card} text-slate-600`}>{t("empty")}</p>
      ) : (
        <ol className="space-y-2" aria-label={t("title")}>
          {entries.map((entry) => (
            <EntryItem key={entry.id} entry={entry} />
          ))}
        </ol>
      )}
      {query.isError && (
        <LoadError
          message={t("loadFailed", { message: errors.message(query.error) })}
          onRetry={() => (query.isFetchNextPageError ? query.fetchNextPage() : query.refetch())}
        />
      )}
      {query.hasNextPage && (
        <button type="button" className={secondaryButtonClass} disabled={query.isFetchingNextPage} onClick={() => query.fetchNextPage()}>
          {query.isFetchingNextPage ? t("loadingMore") : t("more")}
        </button>
      )}
    </div>
  );
}

function EntryItem({ entry }: { entry: HistoryEntry }) {
  const t = useTranslations("history");
  const common = useTranslations("common");
  const locale = useLocale();
  const dates = useDateLabels();
  const numbers = useNumbers();
  const format = (field: string, value: unknown) => formatValue(field, value, { t, common, dates, numbers });
  const row = (entry.after ?? entry.before ?? {}) as Record<string, unknown>;
  const href = entityHref(entry, row);
  const name = entityName(entry, row, locale, dates);
  const what = (
    <>
      {t(`entities.${entry.entity}`)} {name}
    </>
  );
  const fields =
    entry.action === "update"
      ? entry.changes.filter((f) => !NOISE.has(f))
      : SHOWN[entry.entity].filter((f) => row[f] !== null && row[f] !== undefined);

  return (
    <li className={`${card} space-y-1.5 text-sm`}>
      <div className="flex flex-wrap items-baseline gap-x-3 gap-y-0.5 text-slate-600">
        <time dateTime={entry.at}>{dates.dateTime(entry.at)}</time>
        <span>{who(entry, t)}</span>
      </div>
      <p className="text-base">
        {href ? (
          <Link prefetch={false} href={href} className="font-medium text-brand-700 hover:underline">
            {what}
          </Link>
        ) : (
          <span className="font-medium">{what}</span>
        )}{" "}
        <span className="text-slate-700">— {t(`actions.${entry.action}`)}</span>
      </p>
      {fields.length > 0 && (
        <dl className="grid grid-cols-[minmax(0,auto)_minmax(0,1fr)] gap-x-3 gap-y-0.5">
          {fields.map((field) => (
            <div key={field} className="contents">
              <dt className="text-slate-600">{t.has(`fields.${field}`) ? t(`fields.${field}`) : field}</dt>
              <dd className="break-words">
                {entry.action === "update" ? (
                  <>
                    <del className="text-slate-500">{format(field, entry.before?.[field])}</del>
                    {" → "}
                    <ins className="no-underline">{format(field, entry.after?.[field])}</ins>
                  </>
                ) : (
                  format(field, row[field])
                )}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </li>
  );
}

function who(entry: HistoryEntry, t: Translate): string {
  const { who } = entry;
  if (who.kind === "api_key") {
    return who.api_key_name ? t("who.apiKey", { name: who.api_key_name }) : t("who.deletedKey", { id: who.api_key_id ?? 0 });
  }
  if (who.kind === "person") return t("who.person", { phone: who.phone ?? `#${who.person_id}` });
  return t("who.system");
}

/** The page where what changed is shown, when there is one (a deleted house or apartment has none). */
function entityHref(entry: HistoryEntry, row: Record<string, unknown>): string | null {
  const gone = entry.action === "delete";
  switch (entry.entity) {
    case "house":
      return gone ? null : `/houses/${entry.entity_id}`;
    case "apartment":
      return gone ? null : `/apartments/${entry.entity_id}`;
    case "meter":
    case "reading":
      return entry.apartment_id ? `/apartments/${entry.apartment_id}` : null;
    case "tariff":
    case "normative":
    case "service":
    case "service_house_off":
      return "/tariffs";
    case "month": {
      const period = entry.entity_id.split(":")[1];
      return period ? `/months/${period}` : null;
    }
    case "billing_run": {
      const period = typeof row.period === "string" ? row.period.slice(0, 7) : null;
      if (entry.house_id && period) return `/houses/${entry.house_id}/billing?period=${period}`;
      return period ? `/months/${period}` : null;
    }
    case "api_key":
    case "member":
      return "/profile";
    case "ledger":
      return entry.apartment_id ? `/apartments/${entry.apartment_id}/account` : null;
    default:
      return null;
  }
}

/** A few words naming the one that changed: the house's address, the apartment's number, the month… */
function entityName(entry: HistoryEntry, row: Record<string, unknown>, locale: string, dates: DateLabels): string {
  const text = (key: string) => (typeof row[key] === "string" ? (row[key] as string) : null);
  const month = (value: string | null) => (value && /^\d{4}-\d{2}/.test(value) ? dates.month(value.slice(0, 7)) : null);
  switch (entry.entity) {
    case "house":
      return text("address") ?? `#${entry.entity_id}`;
    case "apartment":
      return `№\u00a0${text("number") ?? entry.entity_id}`;
    case "meter":
      return text("serial_number") ?? `#${entry.entity_id}`;
    case "reading":
      return month(text("period")) ?? `#${entry.entity_id}`;
    case "service":
      return (locale.startsWith("en") ? text("name_en") : text("name_ru")) ?? text("code") ?? `#${entry.entity_id}`;
    case "api_key":
      return text("name") ?? `#${entry.entity_id}`;
    case "workspace":
      return "";
    case "tariff":
    case "normative":
      return month(text("valid_from")) ?? `#${entry.entity_id}`;
    case "month":
      return month(entry.entity_id.split(":")[1] ?? null) ?? entry.entity_id;
    case "billing_run":
      return month(text("period")) ?? `#${entry.entity_id}`;
    default:
      return `#${entry.entity_id}`;
  }
}

interface Formatters {
  t: Translate;
  common: Translate;
  dates: DateLabels;
  numbers: NumberFormats;
}

/** A stored value the reader's way: dates and decimals in their language, yes/no, a service's name. */
function formatValue(field: string, value: unknown, { t, common, dates, numbers }: Formatters): string {
  if (value === null || value === undefined || value === "") return t("none");
  if (typeof value === "boolean") return value ? t("yes") : t("no");
  if (typeof value === "number") return numbers.integer(value);
  if (typeof value !== "string") return JSON.stringify(value);
  if ((field === "period" || field === "valid_from") && DATE.test(value)) return dates.month(value.slice(0, 7));
  if (DATE.test(value)) return dates.date(value);
  if (TIMESTAMP.test(value)) return dates.dateTime(value);
  const decimal = value.match(DECIMAL);
  if (decimal) return numbers.decimal(value, decimal[1].length);
  if (field === "service" && common.has(`services.${value}`)) return common(`services.${value}`);
  if (t.has(`values.${field}.${value}`)) return t(`values.${field}.${value}`);
  return value;
}
