"use client";

import { useFormatter, useTranslations } from "next-intl";
import type { BillingRun } from "@/lib/schemas/responses";
import { useErrorTexts } from "../ui/errors";
import { ProgressBar } from "../ui/progress-bar";

/** The live bar of a run: percent for assistive technology, "processed of total" for everyone. */
export function RunProgress({ run, joined }: { run: BillingRun; joined: boolean }) {
  const t = useTranslations("billing.run");
  const format = useFormatter();
  const errors = useErrorTexts();
  const failed = run.status === "failed";
  return (
    <section aria-labelledby="run-heading" className="space-y-2 rounded-lg bg-white p-4 shadow-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="run-heading" className="font-semibold">
          {t("heading")}
        </h2>
        <p
          role="status"
          className={failed ? "font-medium text-red-800" : run.status === "completed" ? "font-medium text-green-800" : "text-slate-700"}
        >
          {t(`status.${run.status}`)}
        </p>
      </div>
      {joined && <p className="text-sm text-slate-700">{t("joined")}</p>}
      <ProgressBar
        label={t("progressLabel")}
        percent={run.percent}
        valueText={t("valueText", { percent: run.percent, processed: run.processed, total: run.total })}
        tone={failed ? "failed" : run.status === "completed" ? "done" : "moving"}
      />
      <p className="flex justify-between text-sm text-slate-700 tabular-nums">
        <span>{t("processed", { processed: run.processed, total: run.total })}</span>
        <span aria-hidden="true">{run.percent}%</span>
      </p>
      {failed && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {t("failed", { error: errors.run(run) })}
        </p>
      )}
      {run.finished_at && (
        <p className="text-sm text-slate-600">
          {t("finishedAt", { at: format.dateTime(new Date(run.finished_at), { dateStyle: "medium", timeStyle: "short" }) })}
        </p>
      )}
    </section>
  );
}
