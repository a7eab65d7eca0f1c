"use client";

import { useLocale, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { RoleNote, useCanAnywhere } from "../accounts/roles";
import { useWorkspaces } from "../accounts/queries";
import { FileSample, ImportActions, ImportCounts, UploadForm } from "../imports/parts";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { useDateLabels } from "../ui/dates";
import { ImportProgress } from "../ui/import-progress";
import { buttonClass, SelectField, secondaryButtonClass } from "../ui/field";
import { useApiError, useErrorTexts } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import { SubmitButton } from "../ui/submit-button";
import { ROLES } from "@/lib/auth/roles";
import { PAYMENT_IMPORT_FIELDS, type PaymentImportField, type PaymentImportRowStatus } from "@/lib/constants";
import type { MappingBody, PaymentImportView } from "@/lib/schemas/payment-imports";
import { rejectedUrl, useCommitImport, useDiscardImport, useImportRows, usePaymentImport, useSetMapping, useUploadImport } from "./queries";

const REQUIRED: readonly PaymentImportField[] = ["account_number", "paid_on", "amount"];
const ERROR_CLASS = "rounded bg-red-50 p-3 text-red-800";

/** Upload a bank registry, map its columns, look at every row, confirm: /payments/import. */
export function PaymentImportView() {
  const t = useTranslations("payments");
  const nav = useTranslations("common.nav");
  const manage = useCanAnywhere(ROLES.manage);
  const workspaces = useWorkspaces();
  const [workspaceId, setWorkspaceId] = useState<number | null>(null);
  const [importId, setImportId] = useState<number | undefined>();
  const upload = useUploadImport();
  const uploadError = useApiError(upload.error);
  const chosen = workspaceId ?? manage.workspaceIds[0] ?? null;
  const managed = (workspaces.data?.items ?? []).filter((w) => manage.workspaceIds.includes(w.id));

  return (
    <section aria-labelledby="import-heading" className="space-y-4">
      <Breadcrumbs items={[{ label: nav("payments"), href: "/payments" }, { label: t("crumb") }]} />
      <h1 id="import-heading" className="text-2xl font-semibold">
        {t("title")}
      </h1>
      <p className="text-slate-700">{t("intro")}</p>
      <RoleNote check={manage} what="billing" />
      {manage.allowed && (
        <UploadForm
          workspaces={managed}
          workspaceId={chosen}
          onWorkspace={setWorkspaceId}
          workspaceLabel={t("workspace")}
          fileId="registry-file"
          fileLabel={t("file")}
          accept=".csv,.txt,text/csv,text/plain"
          pending={upload.isPending}
          uploadLabel={t("upload")}
          uploadingLabel={t("uploading")}
          error={uploadError.form}
          onUpload={(file) => {
            if (chosen !== null) upload.mutate({ file, workspaceId: chosen }, { onSuccess: (view) => setImportId(view.id) });
          }}
        />
      )}
      {importId !== undefined && <ImportPanel id={importId} onGone={() => setImportId(undefined)} />}
    </section>
  );
}

function ImportPanel({ id, onGone }: { id: number; onGone: () => void }) {
  const t = useTranslations("payments");
  const errors = useErrorTexts();
  const imported = usePaymentImport(id);
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
        {t("detected", {
          file: view.file_name,
          encoding: view.encoding ?? "?",
          delimiter: view.delimiter === "\t" ? t("tab") : (view.delimiter ?? "?"),
          rows: view.rows_total,
        })}
      </p>
      {["uploaded", "previewed", "failed"].includes(view.status) && view.columns && (
        <MappingForm key={`${view.id}-${view.status}-${view.rows_done}`} view={view} />
      )}
      {view.status === "failed" && (
        <p role="alert" className={ERROR_CLASS}>
          {t("failed", { failure: view.failure ?? "" })}
        </p>
      )}
      {view.status === "parsing" && <Progress view={view} />}
      {(view.status === "previewed" || view.status === "committed") && <Preview view={view} onGone={onGone} />}
    </div>
  );
}

function MappingForm({ view }: { view: PaymentImportView }) {
  const t = useTranslations("payments");
  const start = view.mapping ?? view.suggested_mapping ?? {};
  const [mapping, setMapping] = useState<Record<PaymentImportField, string>>(
    () =>
      Object.fromEntries(PAYMENT_IMPORT_FIELDS.map((f) => [f, start[f] === undefined ? "" : String(start[f])])) as Record<
        PaymentImportField,
        string
      >,
  );
  const save = useSetMapping(view.id);
  const error = useApiError(save.error, PAYMENT_IMPORT_FIELDS);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const body = Object.fromEntries(
      Object.entries(mapping)
        .filter(([, v]) => v !== "")
        .map(([f, v]) => [f, Number(v)]),
    ) as MappingBody;
    save.mutate(body);
  };
  return (
    <form onSubmit={submit} className="space-y-4 rounded-lg bg-white p-4 shadow-sm" aria-labelledby="mapping-heading">
      <h2 id="mapping-heading" className="font-semibold">
        {t("mapping.heading")}
      </h2>
      {view.suggested_from === "remembered" && !view.mapping && <p className="text-sm text-slate-700">{t("mapping.remembered")}</p>}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        {PAYMENT_IMPORT_FIELDS.map((field) => (
          <SelectField
            key={field}
            id={`map-${field}`}
            label={t(`fields.${field}`)}
            value={mapping[field]}
            required={REQUIRED.includes(field)}
            error={error.fields[field]}
            onChange={(e) => setMapping((m) => ({ ...m, [field]: e.target.value }))}
          >
            <option value="">{REQUIRED.includes(field) ? t("mapping.choose") : t("mapping.none")}</option>
            {view.columns!.map((name, i) => (
              <option key={i} value={i}>
                {`${i + 1}. ${name}`}
              </option>
            ))}
          </SelectField>
        ))}
      </div>
      <FileSample caption={t("mapping.sample")} columns={view.columns!} sample={view.sample} />
      {error.form && (
        <p role="alert" className={ERROR_CLASS}>
          {error.form}
        </p>
      )}
      <SubmitButton className={buttonClass} disabled={save.isPending}>
        {save.isPending ? t("mapping.checking") : t("mapping.check")}
      </SubmitButton>
    </form>
  );
}

function Progress({ view }: { view: PaymentImportView }) {
  const t = useTranslations("payments");
  return (
    <ImportProgress
      heading={t("progress.heading")}
      label={t("progress.label")}
      status={t("progress.done", { done: view.rows_done, total: view.rows_total })}
      percent={view.percent}
    />
  );
}

function Preview({ view, onGone }: { view: PaymentImportView; onGone: () => void }) {
  const t = useTranslations("payments");
  const reasons = useTranslations("errors.importRows");
  const locale = useLocale();
  const numbers = useNumbers();
  const dates = useDateLabels();
  const errors = useErrorTexts();
  const [status, setStatus] = useState<PaymentImportRowStatus | "">("");
  const rows = useImportRows(view.id, status, true);
  const commit = useCommitImport(view.id);
  const discard = useDiscardImport(view.id);
  const committed = view.status === "committed";
  const rejected = view.rows_error + view.rows_duplicate;
  return (
    <section aria-labelledby="preview-heading" className="space-y-4 rounded-lg bg-white p-4 shadow-sm">
      <h2 id="preview-heading" className="font-semibold">
        {committed ? t("preview.committedHeading") : t("preview.heading")}
      </h2>
      <ImportCounts
        label={t("preview.counts")}
        counts={[
          ["ok", t("status.ok"), view.rows_ok, "text-green-800"],
          ["error", t("status.error"), view.rows_error, "text-red-800"],
          ["duplicate", t("status.duplicate"), view.rows_duplicate, "text-slate-700"],
        ]}
      />
      {committed && (
        <p role="status" className="rounded bg-green-50 p-3 text-green-800">
          {t("preview.committed", { ok: view.rows_ok })}
        </p>
      )}
      <ImportActions
        confirm={
          committed
            ? null
            : {
                label: t("preview.confirm", { ok: view.rows_ok }),
                question: t("preview.confirmText", { ok: view.rows_ok }),
                pending: commit.isPending,
                onConfirm: () => commit.mutate(),
              }
        }
        rejected={rejected > 0 ? { label: t("preview.rejected", { n: rejected }), href: rejectedUrl(view.id, locale) } : null}
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
        onChange={(e) => setStatus(e.target.value as PaymentImportRowStatus | "")}
      >
        <option value="">{t("preview.all")}</option>
        <option value="ok">{t("status.ok")}</option>
        <option value="error">{t("status.error")}</option>
        <option value="duplicate">{t("status.duplicate")}</option>
      </SelectField>
      <ul className="divide-y divide-slate-100" aria-label={t("preview.rows")}>
        {rows.data?.pages.flatMap((page) =>
          page.items.map((row) => (
            <li key={row.line} className="flex flex-wrap gap-x-4 gap-y-1 py-2 text-sm">
              <span className="w-16 text-slate-600 tabular-nums">{t("preview.line", { line: row.line })}</span>
              <span className={row.status === "ok" ? "text-green-800" : row.status === "error" ? "text-red-800" : "text-slate-700"}>
                {row.reason ? reasons(row.reason) : t("status.ok")}
              </span>
              {row.apartment_number && (
                <span>{t("preview.apartment", { address: row.house_address ?? "", number: row.apartment_number })}</span>
              )}
              {row.paid_on && <span className="tabular-nums">{dates.date(row.paid_on)}</span>}
              {row.amount && <span className="tabular-nums">{numbers.money(row.amount)}</span>}
              {row.payer && <span className="text-slate-700">{row.payer}</span>}
              {row.status !== "ok" && <span className="w-full font-mono text-xs break-all text-slate-600">{row.raw}</span>}
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
