"use client";

import { useTranslations } from "next-intl";
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { ApiClientError } from "../api";
import { useErrorTexts } from "../ui/errors";
import { useNumbers } from "../ui/numbers";
import { buttonClass, secondaryButtonClass } from "../ui/field";
import { MonthName } from "../ui/month";
import { SubmitButton } from "../ui/submit-button";
import { checkRow, isFormatProblem, valueToSend, type RowCheck } from "./entry";
import type { ReadingSheet as Sheet, ReadingSheetItem } from "@/lib/schemas/responses";
import { useSaveReadings, type ReadingsToSave } from "./queries";
import { SheetRow } from "./sheet-row";

type Notice = { kind: "error" | "info" | "saved"; text: string } | null;

/**
 * The month's readings of a house as one form: typed values are kept per meter until the
 * single save, which the server takes whole or refuses whole. Mount it with `key={period}`.
 */
export function ReadingSheet({ sheet, onDirtyChange }: { sheet: Sheet; onDirtyChange: (dirty: boolean) => void }) {
  const t = useTranslations("readings");
  const save = useSaveReadings(sheet.house_id);
  const errors = useErrorTexts();
  const numbers = useNumbers();
  const [drafts, setDrafts] = useState<Record<number, string>>({});
  const [left, setLeft] = useState<Record<number, true>>({});
  const [serverErrors, setServerErrors] = useState<Record<number, string>>({});
  const [triedToSave, setTriedToSave] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const saveButton = useRef<HTMLButtonElement>(null);

  // Rows whose item and typed text did not change keep their check object, so that their
  // memoised row does not re-render while another row is typed in. Keyed by the item object: a
  // refetched sheet brings new items, and their old checks are dropped with them.
  const [cache] = useState(() => new WeakMap<ReadingSheetItem, { typed: string | undefined; check: RowCheck }>());
  const checks = useMemo(
    () =>
      sheet.items.map((item) => {
        const typed = drafts[item.meter_id];
        const hit = cache.get(item);
        if (hit && hit.typed === typed) return hit.check;
        const check = checkRow(item, typed);
        cache.set(item, { typed, check });
        return check;
      }),
    [sheet.items, drafts, cache],
  );
  const changed = checks.filter((c) => c.changed).length;
  const withProblems = checks.filter((c) => c.problem).length;
  const filled = checks.filter((c) => c.value).length;
  const unusual = checks.filter((c) => c.unusual).length;

  useEffect(() => onDirtyChange(changed > 0), [changed, onDirtyChange]);

  const onEdit = useCallback((meterId: number, text: string) => {
    setDrafts((d) => ({ ...d, [meterId]: text }));
    setServerErrors((s) => {
      if (!(meterId in s)) return s;
      const { [meterId]: _, ...rest } = s;
      return rest;
    });
    setNotice((n) => (n?.kind === "error" ? n : null));
  }, []);

  const onLeave = useCallback((meterId: number) => {
    setLeft((l) => (l[meterId] ? l : { ...l, [meterId]: true }));
  }, []);

  // Enter / ↓ to the next row, Shift+Enter / ↑ to the one before; past the last row, the save
  // button. Ctrl+Enter saves from anywhere.
  const onKey = useCallback((index: number, event: KeyboardEvent<HTMLInputElement>) => {
    if (event.nativeEvent.isComposing || event.altKey) return;
    if (event.ctrlKey || event.metaKey) {
      if (event.key === "Enter") {
        event.preventDefault();
        event.currentTarget.form?.requestSubmit();
      }
      return;
    }
    let delta = 0;
    if (event.key === "Enter") delta = event.shiftKey ? -1 : 1;
    else if (event.key === "ArrowDown") delta = 1;
    else if (event.key === "ArrowUp") delta = -1;
    if (delta === 0) return;
    event.preventDefault();
    const target = inputs.current[index + delta];
    if (target) target.focus();
    else if (delta > 0) saveButton.current?.focus();
  }, []);

  const register = useCallback((index: number, input: HTMLInputElement | null) => {
    inputs.current[index] = input;
  }, []);

  const discard = () => {
    if (!window.confirm(t("discardConfirm"))) return;
    setDrafts({});
    setLeft({});
    setServerErrors({});
    setTriedToSave(false);
    setNotice(null);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending) return;
    setTriedToSave(true);
    const firstProblem = checks.findIndex((c) => c.problem);
    if (firstProblem >= 0) {
      setNotice({ kind: "error", text: t("fixProblems", { count: withProblems }) });
      inputs.current[firstProblem]?.focus();
      return;
    }
    const rows = sheet.items.filter((_, i) => checks[i].changed);
    if (rows.length === 0) {
      setNotice({ kind: "info", text: t("nothingToSave") });
      return;
    }
    const input: ReadingsToSave = {
      period: sheet.period,
      readings: rows.map((item) => ({ meter_id: item.meter_id, value: valueToSend(drafts[item.meter_id]) })),
    };
    setNotice(null);
    save.mutate(input, {
      onSuccess: (saved) => {
        setDrafts({});
        setLeft({});
        setServerErrors({});
        setTriedToSave(false);
        setNotice({ kind: "saved", text: t("saved", { created: saved.created, replaced: saved.replaced }) });
      },
      onError: (error) => {
        // The server names refused rows by their index in what was sent: back to meters.
        const byMeter: Record<number, string> = {};
        let other = false;
        for (const field of Object.keys(error instanceof ApiClientError ? (error.fieldReasons ?? {}) : {})) {
          const index = field.match(/^readings\.(\d+)\.(value|meter_id)$/)?.[1];
          const row = index === undefined ? undefined : input.readings[Number(index)];
          if (row) byMeter[row.meter_id] = errors.field(error, field)!;
          else other = true;
        }
        setServerErrors(byMeter);
        const refused = Object.keys(byMeter).length;
        setNotice({
          kind: "error",
          text: refused > 0 && !other ? t("refused", { count: refused }) : t("saveFailed", { message: errors.message(error) }),
        });
        const first = sheet.items.findIndex((item) => item.meter_id in byMeter);
        if (first >= 0) inputs.current[first]?.focus();
      },
    });
  };

  if (sheet.items.length === 0) return <p className="rounded-lg bg-white p-4 text-slate-700 shadow-sm">{t("empty")}</p>;

  return (
    <form onSubmit={submit} noValidate aria-label={t("formLabel")}>
      <p className="mb-2 text-sm text-slate-700">{t("keyboardHint")}</p>
      <div className="overflow-x-auto rounded-t-lg bg-white shadow-sm">
        <table className="w-full text-left">
          <thead className="bg-slate-100 text-sm text-slate-700">
            <tr>
              <th scope="col" className="px-3 py-2">
                {t("columns.apartment")}
              </th>
              <th scope="col" className="px-3 py-2">
                {t("columns.meter")}
              </th>
              <th scope="col" className="px-3 py-2">
                {t("columns.service")}
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                {t("columns.previous")}
              </th>
              <th scope="col" className="px-3 py-2">
                {t("columns.current")} <MonthName month={sheet.period} />
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                {t("columns.consumption")}
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                {t("columns.usual")}
              </th>
            </tr>
          </thead>
          <tbody>
            {sheet.items.map((item, index) => {
              const check = checks[index];
              const typed = drafts[item.meter_id];
              return (
                <SheetRow
                  key={item.meter_id}
                  index={index}
                  item={item}
                  check={check}
                  text={typed ?? (item.current ? numbers.input(item.current.value) : "")}
                  showProblem={!!check.problem && (triedToSave || !!left[item.meter_id] || isFormatProblem(check.problem))}
                  serverError={serverErrors[item.meter_id]}
                  onEdit={onEdit}
                  onLeave={onLeave}
                  onKey={onKey}
                  register={register}
                />
              );
            })}
          </tbody>
        </table>
      </div>
      <div className="sticky bottom-0 flex flex-wrap items-center gap-x-4 gap-y-2 rounded-b-lg border-t border-slate-200 bg-white p-3 shadow-sm">
        <p className="text-sm text-slate-700" aria-live="polite">
          {t("summary", { total: sheet.items.length, filled, changed, problems: withProblems, unusual })}
        </p>
        {notice && (
          <p
            role={notice.kind === "error" ? "alert" : "status"}
            className={`rounded px-3 py-1.5 text-sm ${
              notice.kind === "error"
                ? "bg-red-50 text-red-800"
                : notice.kind === "saved"
                  ? "bg-green-50 text-green-800"
                  : "bg-slate-100 text-slate-800"
            }`}
          >
            {notice.text}
          </p>
        )}
        <div className="ml-auto flex gap-2">
          <button type="button" className={secondaryButtonClass} onClick={discard} disabled={changed === 0 || save.isPending}>
            {t("discard")}
          </button>
          <SubmitButton ref={saveButton} className={buttonClass} disabled={save.isPending}>
            {save.isPending ? t("saving") : t("save", { count: changed })}
          </SubmitButton>
        </div>
      </div>
    </form>
  );
}
