"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { RoleNote, useCan } from "../accounts/roles";
import { useWorkspaces } from "../accounts/queries";
import { ConfirmDialog } from "../house/confirm-dialog";
import { toDecimalInput } from "../house/format";
import { FormError } from "../house/form";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { useDateLabels } from "../ui/dates";
import { useApiError, useErrorTexts } from "../ui/errors";
import { buttonClass, dangerButtonClass, Field, SelectField, secondaryButtonClass } from "../ui/field";
import { useNumbers } from "../ui/numbers";
import { SubmitButton } from "../ui/submit-button";
import { useBillingSettings, useDeleteKeyRate, useKeyRates, usePutKeyRate, useUpdateBillingSettings } from "./queries";
import { ROLES } from "@/lib/auth/roles";
import type { KeyRate } from "@/lib/schemas/responses";

const card = "rounded-lg bg-white p-4 shadow-sm space-y-3";
const DAYS = Array.from({ length: 28 }, (_, i) => i + 1);
const MONTH_DAYS = Array.from({ length: 31 }, (_, i) => i + 1);

/** The workspace's billing settings (issue 16): the payment due day and the key rates penalties use. */
export function BillingSettingsView({ workspaceId }: { workspaceId: number }) {
  const t = useTranslations("settings");
  const common = useTranslations("common");
  const workspace = useWorkspaces().data?.items.find((w) => w.id === workspaceId);
  const manage = useCan(ROLES.manage, workspaceId);
  const read = useCan(ROLES.readBilling, workspaceId);
  return (
    <div className="space-y-6">
      <Breadcrumbs items={[{ label: common("crumbs.profile"), href: "/profile" }, { label: t("title") }]} />
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          {workspace && <p className="text-slate-600">{workspace.name}</p>}
        </div>
        <Link prefetch={false} href={`/workspaces/${workspaceId}/requisites`} className="text-sm text-brand-700 hover:underline">
          {t("requisites.link")}
        </Link>
      </div>
      {read.known && !read.allowed ? (
        <RoleNote check={read} what="settings" />
      ) : (
        <>
          <RoleNote check={manage} what="settings" />
          <DueDaySection workspaceId={workspaceId} editable={manage.allowed} />
          <ReadingWindowSection workspaceId={workspaceId} editable={manage.allowed} />
          <KeyRatesSection workspaceId={workspaceId} editable={manage.allowed} />
        </>
      )}
    </div>
  );
}

function DueDaySection({ workspaceId, editable }: { workspaceId: number; editable: boolean }) {
  const t = useTranslations("settings.dueDay");
  const errors = useErrorTexts();
  const settings = useBillingSettings(workspaceId);
  const update = useUpdateBillingSettings(workspaceId);
  const error = useApiError(update.error, ["payment_due_day"]);
  // null: the saved day (a choice not yet saved otherwise)
  const [chosen, setChosen] = useState<number | null>(null);
  const [saved, setSaved] = useState(false);
  const current = settings.data?.payment_due_day;
  const day = chosen ?? current ?? 15;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    update.mutate(
      { payment_due_day: day },
      {
        onSuccess: () => {
          setChosen(null);
          setSaved(true);
        },
      },
    );
  };
  return (
    <section className={card} aria-labelledby="due-day-heading">
      <h2 id="due-day-heading" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="text-sm text-slate-600">{t("hint")}</p>
      {settings.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {errors.message(settings.error)}
        </p>
      )}
      {settings.isPending && <p role="status">…</p>}
      {current !== undefined &&
        (editable ? (
          <form onSubmit={submit} className="flex flex-wrap items-end gap-3" noValidate>
            <SelectField
              id="payment-due-day"
              label={t("label")}
              value={day}
              onChange={(e) => (setChosen(Number(e.target.value)), setSaved(false), update.reset())}
              error={error.fields.payment_due_day}
            >
              {DAYS.map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </SelectField>
            <SubmitButton className={buttonClass} disabled={update.isPending || day === current}>
              {t("save")}
            </SubmitButton>
            <FormError message={error.form} />
            <p role="status" className="w-full text-sm text-green-800 empty:hidden">
              {saved ? t("saved", { day: current }) : ""}
            </p>
          </form>
        ) : (
          <p>{t("current", { day: current })}</p>
        ))}
      <p className="text-sm text-slate-600">{t("fixed")}</p>
    </section>
  );
}

/** The days of the month residents may send their readings from /my (issue 18). */
function ReadingWindowSection({ workspaceId, editable }: { workspaceId: number; editable: boolean }) {
  const t = useTranslations("settings.readingWindow");
  const settings = useBillingSettings(workspaceId);
  const update = useUpdateBillingSettings(workspaceId);
  const error = useApiError(update.error, ["reading_window_from", "reading_window_to"]);
  const [chosen, setChosen] = useState<{ from: number; to: number } | null>(null);
  const [saved, setSaved] = useState(false);
  if (!settings.data) return null;
  const current = { from: settings.data.reading_window_from, to: settings.data.reading_window_to };
  const window = chosen ?? current;
  const choose = (changes: Partial<typeof window>) => {
    setChosen({ ...window, ...changes });
    setSaved(false);
    update.reset();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    update.mutate(
      { reading_window_from: window.from, reading_window_to: window.to },
      {
        onSuccess: () => {
          setChosen(null);
          setSaved(true);
        },
      },
    );
  };
  const daySelect = (id: string, label: string, value: number, field: "from" | "to", fieldError?: string) => (
    <SelectField id={id} label={label} value={value} onChange={(e) => choose({ [field]: Number(e.target.value) })} error={fieldError}>
      {MONTH_DAYS.map((d) => (
        <option key={d} value={d}>
          {d}
        </option>
      ))}
    </SelectField>
  );
  return (
    <section className={card} aria-labelledby="reading-window-heading">
      <h2 id="reading-window-heading" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="text-sm text-slate-600">{t("hint")}</p>
      {editable ? (
        <form onSubmit={submit} className="flex flex-wrap items-end gap-3" noValidate>
          {daySelect("reading-window-from", t("from"), window.from, "from", error.fields.reading_window_from)}
          {daySelect("reading-window-to", t("to"), window.to, "to", error.fields.reading_window_to)}
          <SubmitButton className={buttonClass} disabled={update.isPending || (window.from === current.from && window.to === current.to)}>
            {t("save")}
          </SubmitButton>
          <FormError message={error.form} />
          <p role="status" className="w-full text-sm text-green-800 empty:hidden">
            {saved ? t("saved", current) : ""}
          </p>
        </form>
      ) : (
        <p>{t("current", current)}</p>
      )}
    </section>
  );
}

function KeyRatesSection({ workspaceId, editable }: { workspaceId: number; editable: boolean }) {
  const t = useTranslations("settings.keyRates");
  const errors = useErrorTexts();
  const dates = useDateLabels();
  const numbers = useNumbers();
  const rates = useKeyRates(workspaceId);
  const remove = useDeleteKeyRate(workspaceId);
  const [editing, setEditing] = useState<KeyRate | null>(null);
  // a new key empties the form after each rate saved, or fills it with the rate being changed
  const [generation, setGeneration] = useState(0);
  const [removing, setRemoving] = useState<KeyRate | null>(null);
  const [note, setNote] = useState("");
  const percent = (value: string) => `${numbers.decimal(value, 2)} %`;
  // newest first: the rates a manager adds and checks are the latest
  const items = [...(rates.data?.items ?? [])].reverse();
  const closeDialog = () => {
    setRemoving(null);
    remove.reset();
  };
  return (
    <section className={card} aria-labelledby="key-rates-heading">
      <h2 id="key-rates-heading" className="text-lg font-semibold">
        {t("title")}
      </h2>
      <p className="text-sm text-slate-600">{t("hint")}</p>
      {editable && (
        <KeyRateForm
          key={generation}
          workspaceId={workspaceId}
          initial={editing}
          onDone={(rate) => {
            setEditing(null);
            setGeneration((g) => g + 1);
            setNote(rate ? t("saved", { date: dates.date(rate.valid_from), percent: percent(rate.percent) }) : "");
          }}
        />
      )}
      <p role="status" className="text-sm text-green-800 empty:hidden">
        {note}
      </p>
      {rates.isPending && <p role="status">…</p>}
      {rates.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {errors.message(rates.error)}
        </p>
      )}
      {rates.isSuccess && (
        // on a phone each rate is a card: date and both rates on a line, its buttons under them
        <table className="w-full text-left text-sm max-sm:block">
          <caption className="sr-only">{t("title")}</caption>
          <thead className="bg-slate-100 text-slate-700 max-sm:sr-only">
            <tr>
              <th scope="col" className="px-2 py-2">
                {t("validFrom")}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t("percent")}
              </th>
              <th scope="col" className="px-2 py-2 text-right">
                {t("penaltyPercent")}
              </th>
              {editable && (
                <th scope="col" className="px-2 py-2">
                  <span className="sr-only">{t("actions")}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody className="max-sm:block">
            {items.map((r) => (
              <tr
                key={r.valid_from}
                className="border-t border-slate-100 align-top max-sm:grid max-sm:grid-cols-3 max-sm:gap-x-2 max-sm:gap-y-1 max-sm:py-2"
              >
                <th scope="row" className="px-2 py-2 font-medium whitespace-nowrap max-sm:p-0">
                  <span className="block text-xs font-normal text-slate-600 sm:hidden">{t("validFrom")}</span>
                  {dates.date(r.valid_from)}
                </th>
                <td className="px-2 py-2 text-right tabular-nums whitespace-nowrap max-sm:p-0 max-sm:text-left">
                  <span className="block text-xs text-slate-600 sm:hidden">{t("percent")}</span>
                  {percent(r.percent)}
                </td>
                <td className="px-2 py-2 text-right tabular-nums max-sm:p-0 max-sm:text-left">
                  <span className="block text-xs text-slate-600 sm:hidden">{t("penaltyPercent")}</span>
                  {percent(r.penalty_percent)}
                  {r.penalty_percent !== r.percent && <span className="block text-xs text-slate-600">{t("capped")}</span>}
                </td>
                {editable && (
                  <td className="px-2 py-2 max-sm:col-span-3 max-sm:p-0">
                    <div className="flex flex-wrap justify-end gap-1 max-sm:justify-start">
                      <button
                        type="button"
                        className={secondaryButtonClass}
                        aria-label={t("changeNamed", { date: dates.date(r.valid_from) })}
                        onClick={() => {
                          setNote("");
                          setEditing(r);
                          setGeneration((g) => g + 1);
                          document.getElementById("key-rate-percent")?.scrollIntoView({ block: "center" });
                        }}
                      >
                        {t("change")}
                      </button>
                      <button
                        type="button"
                        className={dangerButtonClass}
                        aria-label={t("removeNamed", { date: dates.date(r.valid_from) })}
                        onClick={() => setRemoving(r)}
                      >
                        {t("remove")}
                      </button>
                    </div>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rates.isSuccess && items.length === 0 && <p className="text-slate-600">{t("none")}</p>}
      <ConfirmDialog
        open={removing !== null}
        title={removing ? t("removeTitle", { date: dates.date(removing.valid_from), percent: percent(removing.percent) }) : ""}
        message={t("removeWarning")}
        confirmLabel={t("remove")}
        pending={remove.isPending}
        error={remove.error ? errors.message(remove.error) : undefined}
        onConfirm={() =>
          removing &&
          remove.mutate(removing.valid_from, {
            onSuccess: () => {
              setNote(t("removed", { date: dates.date(removing.valid_from) }));
              setRemoving(null);
            },
          })
        }
        onClose={closeDialog}
      />
    </section>
  );
}

interface KeyRateFormProps {
  workspaceId: number;
  /** the rate being changed; null: a new one */
  initial: KeyRate | null;
  /** the rate as saved; null when cancelled */
  onDone: (saved: KeyRate | null) => void;
}

function KeyRateForm({ workspaceId, initial, onDone }: KeyRateFormProps) {
  const t = useTranslations("settings.keyRates");
  const fieldTexts = useTranslations("errors.fields");
  const numbers = useNumbers();
  const put = usePutKeyRate(workspaceId);
  const error = useApiError(put.error, ["valid_from", "percent"]);
  const [validFrom, setValidFrom] = useState(initial?.valid_from ?? "");
  const [percent, setPercent] = useState(initial ? numbers.input(initial.percent) : "");
  const [missingDate, setMissingDate] = useState(false);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!validFrom) {
      setMissingDate(true);
      return;
    }
    put.mutate({ validFrom, percent: toDecimalInput(percent) }, { onSuccess: (rate) => onDone(rate) });
  };
  return (
    <form
      onSubmit={submit}
      aria-label={initial ? t("changeForm") : t("newForm")}
      className="flex flex-wrap items-end gap-3 rounded border border-dashed border-slate-300 p-3"
      noValidate
    >
      <p className="w-full text-sm font-medium">{initial ? t("changeForm") : t("newForm")}</p>
      <Field
        id="key-rate-valid-from"
        type="date"
        label={t("validFrom")}
        value={validFrom}
        readOnly={!!initial}
        onChange={(e) => (setValidFrom(e.target.value), setMissingDate(false), put.reset())}
        error={missingDate ? fieldTexts("required") : error.fields.valid_from}
      />
      <div className="w-32">
        <Field
          id="key-rate-percent"
          label={t("percentInput")}
          inputMode="decimal"
          value={percent}
          autoFocus={!!initial}
          onChange={(e) => (setPercent(e.target.value), put.reset())}
          error={error.fields.percent}
        />
      </div>
      <SubmitButton className={buttonClass} disabled={put.isPending}>
        {t("save")}
      </SubmitButton>
      {initial && (
        <button type="button" className={secondaryButtonClass} onClick={() => onDone(null)}>
          {t("cancel")}
        </button>
      )}
      <FormError message={error.form} />
    </form>
  );
}
