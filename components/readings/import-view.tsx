"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { RoleNote, useCanAnywhere } from "../accounts/roles";
import { useWorkspaces } from "../accounts/queries";
import { useHouses } from "../houses/queries";
import { FileSample, ImportActions, ImportCounts, UploadForm } from "../imports/parts";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { buttonClass, SelectField, secondaryButtonClass } from "../ui/field";
import { useApiError, useErrorTexts } from "../ui/errors";
import { ImportProgress } from "../ui/import-progress";
import { MonthName } from "../ui/month";
import { useNumbers } from "../ui/numbers";
import { SubmitButton } from "../ui/submit-button";
import { ROLES } from "@/lib/auth/roles";
import { READING_IMPORT_FIELDS, type ReadingImportField, type ReadingImportRowStatus } from "@/lib/constants";
import type { MappingBody, ReadingImportView as View } from "@/lib/schemas/reading-imports";
import {
  rejectedReadingsUrl,
  useCommitReadings,
  useDiscardReadings,
  useReadingImport,
  useReadingImportRows,
  useSetReadingsMapping,
  useUploadReadings,
} from "./import-queries";

const ERROR_CLASS = "rounded bg-red-50 p-3 text-red-800";

/** Upload a readings file, map its columns, look at every row, confirm: /readings/import. */
export function ReadingImportView({ houseId, month }: { houseId: number | null; month: string }) {
  const t = useTranslations("readings.import");
  const common = useTranslations("common");
  const enter = useCanAnywhere(ROLES.enterReadings);
  const workspaces = useWorkspaces();
  const houses = useHouses("");
  const [workspaceId, setWorkspaceId] = useState<number | null>(null);
  const [house, setHouse] = useState<number | null>(houseId);
  const [importId, setImportId] = useState<number | undefined>();
  const upload = useUploadReadings();
  const uploadError = useApiError(upload.error);
  const chosen = workspaceId ?? enter.workspaceIds[0] ?? null;
  const allowed = (workspaces.data?.items ?? []).filter((w) => enter.workspaceIds.includes(w.id));

  return (
    <section aria-labelledby="import-heading" className="space-y-4">
      <Breadcrumbs
        items={[
          { label: common("crumbs.houses"), href: "/houses" },
          ...(houseId ? [{ label: common("crumbs.readings"), href: `/houses/${houseId}/readings?period=${month}` }] : []),
          { label: t("crumb") },
        ]}
      />
      <h1 id="import-heading" className="text-2xl font-semibold">
        {t("title")}
      </h1>
      <p className="text-slate-700">{t("intro")}</p>
      <RoleNote check={enter} what="readings" />
      {enter.allowed && (
        <UploadForm
          workspaces={allowed}
          workspaceId={chosen}
          onWorkspace={setWorkspaceId}
          workspaceLabel={t("workspace")}
          fileId="readings-file"
          fileLabel={t("file")}
          accept=".csv,.txt,.xlsx,text/csv,text/plain,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          pending={upload.isPending}
          uploadLabel={t("upload")}
          uploadingLabel={t("uploading")}
          error={uploadError.form}
          onUpload={(file, fields) => {
            const period = (fields.namedItem("readings-month") as HTMLInputElement).value;
            if (chosen === null) return;
            upload.mutate(
              { file, workspaceId: chosen, query: period ? `&period=${period}` : "" },
              { onSuccess: (view) => setImportId(view.id) },
            );
          }}
        >
          <div className="flex flex-col text-sm">
            <label htmlFor="readings-month" className="mb-1 text-slate-700">
              {t("month")}
            </label>
            <input
              id="readings-month"
              name="readings-month"
              type="month"
              defaultValue={month}
              className="rounded border border-slate-300 px-2 py-1 text-base"
            />
          </div>
          <SelectField
            id="import-house"
            label={t("house")}
            value={house ?? ""}
            onChange={(e) => setHouse(e.target.value ? Number(e.target.value) : null)}
          >
            <option value="">{t("anyHouse")}</option>
            {(houses.data?.items ?? []).map((h) => (
              <option key={h.id} value={h.id}>
                {h.address}
              </option>
            ))}
          </SelectField>
        </UploadForm>
      )}
      {importId !== undefined && <ImportPanel id={importId} houseId={house} onGone={() => setImportId(undefined)} />}
    </section>
  );
}

function ImportPanel({ id, houseId, onGone }: { id: number; houseId: number | null; onGone: () => void }) {
  const t = useTranslations("readings.import");
  const errors = useErrorTexts();
  const imported = useReadingImport(id);
  if (imported.isPending) return <p role="status">…</p>;
  if (imported.isError)
    return (
      <p role="alert" className={ERROR_CLASS}>
        {errors.message(imported.error)}
      </p>
    );
  const view = imported.data;
  return (
    <div className="space-y-4">
      <p className="text-sm text-slate-700">
        {view.format === "xlsx"
          ? t("detectedXlsx", { file: view.file_name, rows: view.rows_total })
          : t("detectedCsv", {
              file: view.file_name,
              encoding: view.encoding ?? "?",
              delimiter: view.delimiter === "\t" ? t("tab") : (view.delimiter ?? "?"),
              rows: view.rows_total,
            })}
      </p>
      {["uploaded", "previewed", "failed"].includes(view.status) && view.columns && (
        <MappingForm key={`${view.id}-${view.status}-${view.rows_done}`} view={view} houseId={houseId} />
      )}
      {view.status === "failed" && (
        <p role="alert" className={ERROR_CLASS}>
          {t("failed", { failure: view.failure ?? "" })}
        </p>
      )}
      {view.status === "parsing" && (
        <ImportProgress
          heading={t("progress.heading")}
          label={t("progress.label")}
          status={t("progress.done", { done: view.rows_done, total: view.rows_total })}
          percent={view.percent}
        />
      )}
      {(view.status === "previewed" || view.status === "committed") && <Preview view={view} onGone={onGone} />}
    </div>
  );
}

function MappingForm({ view, houseId }: { view: View; houseId: number | null }) {
  const t = useTranslations("readings.import");
  const start: Partial<Record<ReadingImportField, number>> = view.mapping ?? view.suggested_mapping ?? {};
  const [mapping, setMapping] = useState<Record<ReadingImportField, string>>(
    () =>
      Object.fromEntries(READING_IMPORT_FIELDS.map((f) => [f, start[f] === undefined ? "" : String(start[f])])) as Record<
        ReadingImportField,
        string
      >,
  );
  const save = useSetReadingsMapping(view.id);
  const error = useApiError(save.error, [...READING_IMPORT_FIELDS, "house_id"]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const columns = Object.fromEntries(
      Object.entries(mapping)
        .filter(([, v]) => v !== "")
        .map(([f, v]) => [f, Number(v)]),
    );
    save.mutate({ ...columns, house_id: view.house_id ?? houseId } as MappingBody);
  };
  return (
    <form onSubmit={submit} className="space-y-4 rounded-lg bg-white p-4 shadow-sm" aria-labelledby="mapping-heading">
      <h2 id="mapping-heading" className="font-semibold">
        {t("mapping.heading")}
      </h2>
      <p className="text-sm text-slate-700">{t("mapping.hint")}</p>
      {view.suggested_from === "remembered" && !view.mapping && <p className="text-sm text-slate-700">{t("mapping.remembered")}</p>}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        {READING_IMPORT_FIELDS.map((field) => (
          <SelectField
            key={field}
            id={`map-${field}`}
            label={t(`fields.${field}`)}
            value={mapping[field]}
            required={field === "value"}
            error={error.fields[field]}
            onChange={(e) => setMapping((m) => ({ ...m, [field]: e.target.value }))}
          >
            <option value="">{field === "value" ? t("mapping.choose") : t("mapping.none")}</option>
            {view.columns!.map((name, i) => (
              <option key={i} value={i}>
                {`${i + 1}. ${name}`}
              </option>
            ))}
          </SelectField>
        ))}
      </div>
      <FileSample caption={t("mapping.sample")} columns={view.columns!} sample={view.sample} />
      {(error.form || error.fields.house_id) && (
        <p role="alert" className={ERROR_CLASS}>
          {error.form ?? error.fields.house_id}
        </p>
      )}
      <SubmitButton className={buttonClass} disabled={save.isPending}>
        {save.isPending ? t("mapping.checking") : t("mapping.check")}
      </SubmitButton>
    </form>
  );
}

const STATUS_COLOR: Record<ReadingImportRowStatus, string> = { ok: "text-green-800", warning: "text-amber-800", error: "text-red-800" };

function Preview({ view, onGone }: { view: View; onGone: () => void }) {
  const t = useTranslations("readings.import");
  const locale = useLocale();
  const numbers = useNumbers();
  const errors = useErrorTexts();
  const [status, setStatus] = useState<ReadingImportRowStatus | "">("");
  const rows = useReadingImportRows(view.id, status, true);
  const commit = useCommitReadings(view.id);
  const discard = useDiscardReadings(view.id);
  const committed = view.status === "committed";
  const importable = view.rows_ok + view.rows_warning;
  return (
    <section aria-labelledby="preview-heading" className="space-y-4 rounded-lg bg-white p-4 shadow-sm">
      <h2 id="preview-heading" className="font-semibold">
        {committed ? t("preview.committedHeading") : t("preview.heading")}
      </h2>
      <ImportCounts
        label={t("preview.counts")}
        counts={[
          ["ok", t("status.ok"), view.rows_ok, STATUS_COLOR.ok],
          ["warning", t("status.warning"), view.rows_warning, STATUS_COLOR.warning],
          ["error", t("status.error"), view.rows_error, STATUS_COLOR.error],
        ]}
      />
      {committed && (
        <p role="status" className="rounded bg-green-50 p-3 text-green-800">
          {t("preview.committed", { n: importable })}
        </p>
      )}
      {!committed && importable === 0 && (
        <p role="alert" className={ERROR_CLASS}>
          {t("preview.nothing")}
        </p>
      )}
      <ImportActions
        confirm={
          committed || importable === 0
            ? null
            : {
                label: t("preview.confirm", { n: importable }),
                question: t("preview.confirmText", { n: importable }),
                pending: commit.isPending,
                onConfirm: () => commit.mutate(),
              }
        }
        rejected={
          view.rows_error > 0 ? { label: t("preview.rejected", { n: view.rows_error }), href: rejectedReadingsUrl(view.id, locale) } : null
        }
        discard={
          committed
            ? null
            : { label: t("preview.discard"), pending: discard.isPending, onDiscard: () => discard.mutate(undefined, { onSuccess: onGone }) }
        }
        error={commit.isError || discard.isError ? errors.message(commit.error ?? discard.error) : null}
      />
      <SelectField
        id="row-filter"
        label={t("preview.filter")}
        value={status}
        onChange={(e) => setStatus(e.target.value as ReadingImportRowStatus | "")}
      >
        <option value="">{t("preview.all")}</option>
        <option value="ok">{t("status.ok")}</option>
        <option value="warning">{t("status.warning")}</option>
        <option value="error">{t("status.error")}</option>
      </SelectField>
      <ul className="divide-y divide-slate-100" aria-label={t("preview.rows")}>
        {rows.data?.pages.flatMap((page) =>
          page.items.map((row) => (
            <li key={row.line} className="flex flex-wrap gap-x-4 gap-y-1 py-2 text-sm">
              <span className="w-16 text-slate-600 tabular-nums">{t("preview.line", { line: row.line })}</span>
              <span className={STATUS_COLOR[row.status]}>{row.reason ? errors.readingRow(row.reason, row.params) : t("status.ok")}</span>
              {row.serial_number && <span>{t("preview.meter", { serial: row.serial_number, number: row.apartment_number ?? "" })}</span>}
              {row.period && (
                <span>
                  <MonthName month={row.period} />
                </span>
              )}
              {row.value && <span className="tabular-nums">{numbers.reading(row.value)}</span>}
              {row.value && row.status !== "error" && (
                <span className="text-slate-700">
                  {row.replaces_value ? t("preview.replaces", { value: numbers.reading(row.replaces_value) }) : t("preview.new")}
                </span>
              )}
              {row.status === "error" && <span className="w-full font-mono text-xs break-all text-slate-600">{row.raw}</span>}
            </li>
          )),
        )}
      </ul>
      {rows.hasNextPage && (
        <button type="button" className={secondaryButtonClass} disabled={rows.isFetchingNextPage} onClick={() => void rows.fetchNextPage()}>
          {t("preview.more")}
        </button>
      )}
    </section>
  );
}
