"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import type { ReceiptBatchOut } from "@/lib/schemas/receipts";
import { ApiClientError } from "../api";
import { useDateLabels } from "../ui/dates";
import { useApiError, useErrorTexts } from "../ui/errors";
import { buttonClass } from "../ui/field";
import { ProgressBar } from "../ui/progress-bar";
import { isMaking, receiptKeys, useReceiptBatch, useReceiptBatches, useReceiptRequisites, useStartReceiptBatch } from "./queries";
import { RequisitesNote } from "./requisites-note";
import { REQUISITE_FIELDS, type RequisiteField } from "@/lib/constants";

export interface HouseReceiptsProps {
  houseId: number;
  workspaceId: number | undefined;
  period: string;
}

/**
 * The billing page's payment documents: one PDF of every apartment's document of the month, made
 * in the background (the bar moves as the worker renders), then a download link; the month's
 * earlier batches stay listed with theirs, so a reload still finds a finished file.
 */
export function HouseReceipts({ houseId, workspaceId, period }: HouseReceiptsProps) {
  const t = useTranslations("receipts.house");
  const dates = useDateLabels();
  const errors = useErrorTexts();
  const client = useQueryClient();
  const requisites = useReceiptRequisites(workspaceId);
  const batches = useReceiptBatches(houseId, period);
  const start = useStartReceiptBatch(houseId, period);
  const startError = useApiError(start.error);
  /** the batch started here (per month) */
  const [started, setStarted] = useState<{ period: string; id: number } | null>(null);

  // The batch to follow: the one started here, else the month's newest while it is being made
  // (started in another tab, or before a reload).
  const newest = batches.data?.items[0];
  const followId = started?.period === period ? started.id : isMaking(newest) ? newest?.id : undefined;
  const followed = useReceiptBatch(followId);
  const current = followId !== undefined ? (followed.data ?? batches.data?.items.find((b) => b.id === followId)) : undefined;
  const making = isMaking(current);

  // A batch seen being made that has stopped: the month's list has changed (its download link).
  const moving = useRef(new Set<number>());
  useEffect(() => {
    if (!current) return;
    if (isMaking(current)) moving.current.add(current.id);
    else if (moving.current.delete(current.id)) void client.invalidateQueries({ queryKey: receiptKeys.batches(houseId, period) });
  }, [current, client, houseId, period]);

  // Known incomplete before asking, or refused as such (the requisites changed meanwhile).
  const refusedMissing =
    start.error instanceof ApiClientError && start.error.reason === "requisites_incomplete"
      ? String(start.error.params?.fields ?? "")
          .split(", ")
          .filter((f): f is RequisiteField => (REQUISITE_FIELDS as readonly string[]).includes(f))
      : undefined;
  const missing = requisites.data && !requisites.data.complete ? requisites.data.missing : refusedMissing;
  const earlier = (batches.data?.items ?? []).filter((b) => b.id !== current?.id);

  return (
    <section aria-labelledby="receipts-heading" className="space-y-3 rounded-lg bg-white p-4 shadow-sm">
      <h2 id="receipts-heading" className="font-semibold">
        {t("heading", { month: dates.month(period) })}
      </h2>
      {missing && missing.length > 0 && workspaceId !== undefined ? (
        <RequisitesNote workspaceId={workspaceId} missing={missing} />
      ) : (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            className={buttonClass}
            disabled={start.isPending || making}
            onClick={() =>
              start.mutate(undefined, {
                onSuccess: (batch) => {
                  moving.current.add(batch.id);
                  setStarted({ period, id: batch.id });
                },
              })
            }
          >
            {t("start")}
          </button>
          <p className="text-sm text-slate-600">{t("hint")}</p>
        </div>
      )}
      {start.isError && !refusedMissing && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {t("startFailed", { message: startError.form ?? "" })}
        </p>
      )}
      {followed.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {t("loadFailed", { message: errors.message(followed.error) })}
        </p>
      )}
      {current && <BatchProgress batch={current} />}
      {batches.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {t("loadFailed", { message: errors.message(batches.error) })}
        </p>
      )}
      {earlier.length > 0 && (
        <div>
          <h3 className="text-sm font-medium text-slate-700">{t("earlier")}</h3>
          <ul className="divide-y divide-slate-200 text-sm">
            {earlier.map((b) => (
              <BatchRow key={b.id} batch={b} />
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function BatchProgress({ batch }: { batch: ReceiptBatchOut }) {
  const t = useTranslations("receipts.house");
  const failed = batch.status === "failed";
  const done = batch.status === "done";
  return (
    <div className="space-y-2" data-testid="receipt-batch">
      <p role="status" className={failed ? "font-medium text-red-800" : done ? "font-medium text-green-800" : "text-slate-700"}>
        {t(`status.${batch.status}`)}
        {batch.draft && <span className="font-normal text-slate-600"> · {t("draft")}</span>}
      </p>
      <ProgressBar
        label={t("progressLabel")}
        percent={batch.percent}
        valueText={t("valueText", { percent: batch.percent, done: batch.done, total: batch.total })}
        tone={failed ? "failed" : done ? "done" : "moving"}
      />
      <p className="flex justify-between text-sm text-slate-700 tabular-nums">
        <span>{t("progress", { done: batch.done, total: batch.total })}</span>
        <span aria-hidden="true">{batch.percent}%</span>
      </p>
      {failed && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {t("failed")}
        </p>
      )}
      {done && <DownloadLink batch={batch} />}
    </div>
  );
}

function BatchRow({ batch }: { batch: ReceiptBatchOut }) {
  const t = useTranslations("receipts.house");
  const format = useFormatter();
  return (
    <li className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2">
      <span className="tabular-nums">{format.dateTime(new Date(batch.created_at), { dateStyle: "medium", timeStyle: "short" })}</span>
      <span className={batch.status === "failed" ? "text-red-800" : "text-slate-700"}>
        {t(`status.${batch.status}`)}
        {batch.draft && ` · ${t("draft")}`}
        {isMaking(batch) && ` · ${batch.percent}%`}
      </span>
      {batch.status === "done" && <DownloadLink batch={batch} />}
    </li>
  );
}

/** The finished PDF: its size, and a name that says which month it is (several may be listed). */
function DownloadLink({ batch }: { batch: ReceiptBatchOut }) {
  const t = useTranslations("receipts.house");
  const dates = useDateLabels();
  const format = useFormatter();
  if (!batch.download) return null;
  // a one-apartment house's PDF is some 25 KB: "0,0 МБ" would say nothing
  const bytes = batch.pdf_size ?? 0;
  const size =
    bytes < 1024 * 1024
      ? format.number(Math.max(1, Math.round(bytes / 1024)), { style: "unit", unit: "kilobyte", unitDisplay: "short" })
      : format.number(bytes / 1024 / 1024, {
          style: "unit",
          unit: "megabyte",
          unitDisplay: "short",
          maximumFractionDigits: 1,
          minimumFractionDigits: 1,
        });
  const made = format.dateTime(new Date(batch.created_at), { dateStyle: "medium", timeStyle: "short" });
  return (
    <a
      href={batch.download}
      download
      type="application/pdf"
      aria-label={t("downloadLabel", { month: dates.month(batch.period), size, made })}
      className="font-medium whitespace-nowrap text-brand-700 underline"
    >
      {t("download", { size })}
    </a>
  );
}
