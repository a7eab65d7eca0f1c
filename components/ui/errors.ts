"use client";

import { useTranslations } from "next-intl";
import { useEffect, useMemo, useState } from "react";
import { ApiClientError } from "../api";
import { useDateLabels, type DateLabels } from "./dates";
import { useNumbers } from "./numbers";
import type { NumberFormats } from "@/lib/format";
import type { BillingRun } from "@/lib/schemas/responses";

// The page's own words for what the server refused: every error reason, field reason and run
// failure has a text in messages/<lang>/errors.json; the server's English `message` is never
// shown. Params are put the reader's way first: a service code becomes its name, a month its
// name, a reading its number with the unit.

type Params = Record<string, string | number>;
type Translate = (key: string, values?: Params) => string;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** params that are meter readings (m³), not plain numbers */
const READING_PARAMS = new Set(["previous", "next", "value", "use", "usual", "expected"]);

function localise(params: Params | null | undefined, services: Translate, dates: DateLabels, numbers: NumberFormats): Params {
  const out: Params = {};
  for (const [key, value] of Object.entries(params ?? {})) {
    if (typeof value !== "string") out[key] = value;
    else if (key === "service") out[key] = isService(value) ? services(value).toLocaleLowerCase() : value;
    else if (key === "options")
      out[key] = value
        .split(", ")
        .map((o) => (isService(o) ? services(o).toLocaleLowerCase() : o))
        .join(", ");
    else if (MONTH.test(value)) out[key] = dates.month(value);
    else if (DATE.test(value)) out[key] = dates.date(value);
    else if (READING_PARAMS.has(key) && /^\d+(\.\d+)?$/.test(value)) out[key] = numbers.reading(value);
    else out[key] = value;
  }
  return out;
}

// the seeded services, named in common.services; a workspace's own service shows its code
const SERVICES = ["cold_water", "hot_water", "wastewater", "maintenance"];
const isService = (value: string) => SERVICES.includes(value);

export interface ErrorTexts {
  /** what to tell the person: the reason's text, or a network or unknown failure's */
  message(error: unknown, retryAfter?: number): string;
  /** the text for one field (its path, e.g. "readings.3.value"), if the server named it */
  field(error: unknown, path: string): string | undefined;
  /** why a failed run failed */
  run(run: Pick<BillingRun, "error_reason" | "error_params">): string;
  /** a reason the server gave inside an answer (e.g. why a month cannot be posted), with its params */
  reason(reason: string, params?: Record<string, string | number>): string;
  /** why a row of a readings file is not imported, or what to look at, with its params */
  readingRow(reason: string, params?: Record<string, string | number> | null): string;
  /** a limit's wait is over */
  tryAgain(): string;
}

/** The translators, made once per render tree. */
export function useErrorTexts(): ErrorTexts {
  const t = useTranslations("errors") as unknown as Translate;
  const services = useTranslations("common.services") as unknown as Translate;
  const dates = useDateLabels();
  const numbers = useNumbers();
  return useMemo<ErrorTexts>(
    () => ({
      message(error, retryAfter) {
        if (!(error instanceof ApiClientError)) return t("client.network");
        if (!error.reason) return t("client.unknown", { status: error.status });
        const params = localise(error.params, services, dates, numbers);
        if (retryAfter !== undefined) params.retry_after = retryAfter;
        return t(`reasons.${error.reason}`, params);
      },
      field(error, path) {
        if (!(error instanceof ApiClientError)) return undefined;
        const reason = error.fieldReasons?.[path];
        return reason ? t(`fields.${reason.reason}`, localise(reason.params, services, dates, numbers)) : undefined;
      },
      run(run) {
        if (!run.error_reason) return t("client.runFailed");
        return t(`runs.${run.error_reason}`, localise(run.error_params, services, dates, numbers));
      },
      reason: (reason, params) => t(`reasons.${reason}`, localise(params, services, dates, numbers)),
      readingRow: (reason, params) => t(`readingImportRows.${reason}`, localise(params, services, dates, numbers)),
      tryAgain: () => t("client.tryAgain"),
    }),
    [t, services, dates, numbers],
  );
}

/** Seconds left of a 429's retry_after, counting down while the page is open (0 when over). */
function useSecondsLeft(error: unknown): number | undefined {
  const until = error instanceof ApiClientError && error.retryAfter !== undefined ? error.receivedAt + error.retryAfter * 1000 : undefined;
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === undefined) return;
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 1000);
    return () => clearInterval(timer);
  }, [until]);
  return until === undefined ? undefined : Math.max(0, Math.ceil((until - now) / 1000));
}

export interface ApiErrorView {
  /** the general text, when the error is not about one of `fields` (or names none) */
  form?: string;
  /** the text under each field the server named */
  fields: Record<string, string>;
  /** a limit's seconds still to wait (a live countdown), 0 once over; undefined without a limit */
  secondsLeft?: number;
}

/**
 * A failed request, as one form shows it: the server's field reasons under the fields named in
 * `fields`, else the reason's text for the whole form; a limit counts down every second.
 */
export function useApiError(error: unknown, fields: readonly string[] = []): ApiErrorView {
  const texts = useErrorTexts();
  const secondsLeft = useSecondsLeft(error);
  if (!error) return { fields: {} };
  const named: Record<string, string> = {};
  for (const name of fields) {
    const text = texts.field(error, name);
    if (text) named[name] = text;
  }
  if (Object.keys(named).length > 0) return { fields: named, secondsLeft };
  if (secondsLeft === 0) return { form: texts.tryAgain(), fields: {}, secondsLeft };
  return { form: texts.message(error, secondsLeft), fields: {}, secondsLeft };
}
