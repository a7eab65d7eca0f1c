"use client";

import { useTranslations } from "next-intl";
import { useDateLabels } from "../ui/dates";
import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { ApiClientError } from "../api";
import { ConfirmDialog } from "../house/confirm-dialog";
import { useErrorTexts } from "../ui/errors";
import { buttonClass, Field, secondaryButtonClass } from "../ui/field";
import { MonthName } from "../ui/month";
import { useNumbers } from "../ui/numbers";
import { Spacer } from "../ui/spacer";
import { SubmitButton } from "../ui/submit-button";
import { useWindowRows } from "../ui/virtual";
import { isFormatProblem, valueToSend } from "./entry";
import type { ReadingSheet as Sheet, ReadingSheetItem } from "@/lib/schemas/responses";
import { useSaveReadings, type ReadingsToSave } from "./queries";
import { checkSheet, withTyped, type CheckCache } from "./sheet-checks";
import { SheetRow, suspicionText } from "./sheet-row";
import { useLeaveGuard } from "./use-leave-guard";

type Notice = { kind: "error" | "info" | "saved"; text: string } | null;

const FILTER_ID = "sheet-filter";

/**
 * The month's readings of a house as one form: typed values are kept per meter until the
 * single save, which the server takes whole or refuses whole. Mount it with `key={period}`.
 * A house may have 2,000 meters: only the rows on screen are drawn, and a filter finds a row.
 */
export function ReadingSheet({
  sheet,
  onDirtyChange,
  missingFirst = false,
  readOnly = false,
}: {
  sheet: Sheet;
  /** the person's role may not enter readings: the sheet is shown, saving is disabled */
  readOnly?: boolean;
  onDirtyChange: (dirty: boolean) => void;
  /** start showing only the meters without a reading of the month (the address's ?filter=missing) */
  missingFirst?: boolean;
}) {
  const t = useTranslations("readings");
  const dates = useDateLabels();
  const save = useSaveReadings(sheet.house_id);
  const errors = useErrorTexts();
  const numbers = useNumbers();
  const [drafts, setDrafts] = useState<Record<number, string>>({});
  const [left, setLeft] = useState<Record<number, true>>({});
  const [serverErrors, setServerErrors] = useState<Record<number, string>>({});
  const [triedToSave, setTriedToSave] = useState(false);
  const [notice, setNotice] = useState<Notice>(null);
  const [confirming, setConfirming] = useState<ReadingsToSave | null>(null);
  const [filter, setFilter] = useState("");
  const query = useDeferredValue(filter.trim().toLowerCase());
  // The meters without a reading when the choice was made: a row typed and saved stays in view.
  const [missing, setMissing] = useState<Set<number> | null>(() => (missingFirst ? missingMeters(sheet.items) : null));
  /** inputs by item index (only the drawn rows have one) */
  const inputs = useRef<(HTMLInputElement | null)[]>([]);
  const saveButton = useRef<HTMLButtonElement>(null);
  const listRef = useRef<HTMLTableElement>(null);
  /** a row to focus once it is drawn (it was scrolled to) */
  const pendingFocus = useRef<number | null>(null);

  // Rows whose item and typed text did not change keep their check object, so that their
  // memoised row does not re-render while another row is typed in. Keyed by the item object: a
  // refetched sheet brings new items, and their old checks are dropped with them.
  const [cache] = useState<CheckCache>(() => new WeakMap());
  const base = useMemo(() => checkSheet(sheet.items, sheet.period), [sheet.items, sheet.period]);
  const checks = useMemo(() => withTyped(base, sheet.items, sheet.period, drafts, cache), [base, sheet.items, sheet.period, drafts, cache]);
  const { changed, problems: withProblems, filled, unusual } = checks;

  /** the item indexes shown, in order: all, or those whose apartment or meter matches the filter */
  const order = useMemo(() => {
    const all = sheet.items.map((_, i) => i);
    if (!query && !missing) return all;
    return all.filter((i) => {
      const item = sheet.items[i];
      if (missing && !missing.has(item.meter_id)) return false;
      return !query || item.apartment_number.toLowerCase() === query || item.serial_number.toLowerCase().includes(query);
    });
  }, [sheet.items, query, missing]);
  const position = useMemo(() => new Map(order.map((index, pos) => [index, pos])), [order]);
  const rows = useWindowRows(listRef, order.length, { estimate: 52, overscan: 10 });
  const virtualizer = rows.virtualizer;

  useEffect(() => onDirtyChange(changed > 0), [changed, onDirtyChange]);
  useLeaveGuard(changed > 0, t("leaveWarning"));

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

  /** Focuses a row's input, scrolling it into the drawn ones first when it is not. */
  const focusItem = useCallback(
    (index: number) => {
      const input = inputs.current[index];
      if (input) {
        input.focus();
        input.select();
        return;
      }
      const pos = position.get(index);
      if (pos === undefined) return;
      pendingFocus.current = index;
      virtualizer.scrollToIndex(pos, { align: "center" });
    },
    [position, virtualizer],
  );
  useEffect(() => {
    const index = pendingFocus.current;
    if (index === null) return;
    const input = inputs.current[index];
    if (!input) {
      // Not drawn yet: scroll to it; a later render draws it and comes back here.
      const pos = position.get(index);
      if (pos !== undefined) virtualizer.scrollToIndex(pos, { align: "center" });
      return;
    }
    pendingFocus.current = null;
    input.focus();
    input.select();
  });

  // Enter / ↓ to the next row, Shift+Enter / ↑ to the one before; past the last row, the save
  // button. Ctrl+Enter saves from anywhere.
  const onKey = useCallback(
    (index: number, event: KeyboardEvent<HTMLInputElement>) => {
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
      const target = order[(position.get(index) ?? -1) + delta];
      if (target !== undefined) focusItem(target);
      else if (delta > 0) saveButton.current?.focus();
    },
    [order, position, focusItem],
  );

  const register = useCallback((index: number, input: HTMLInputElement | null) => {
    inputs.current[index] = input;
  }, []);

  /** Shows a row, clearing a filter that hides it, and focuses it (`later`: after this render). */
  const goTo = (index: number, later = false) => {
    if (!position.has(index)) {
      setFilter("");
      setMissing(null);
    }
    if (!position.has(index) || later) pendingFocus.current = index;
    else focusItem(index);
  };

  const discard = () => {
    if (!window.confirm(t("discardConfirm"))) return;
    setDrafts({});
    setLeft({});
    setServerErrors({});
    setTriedToSave(false);
    setNotice(null);
  };

  const send = (input: ReadingsToSave) => {
    setConfirming(null);
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
        if (first >= 0) goTo(first);
      },
    });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (save.isPending || readOnly) return;
    setTriedToSave(true);
    const firstProblem = checks.typed.find((r) => r.check.problem);
    if (firstProblem) {
      setNotice({ kind: "error", text: t("fixProblems", { count: withProblems }) });
      goTo(firstProblem.index);
      return;
    }
    const changedRows = checks.typed.filter((r) => r.check.changed).map(({ index, check }) => ({ item: sheet.items[index], check }));
    if (changedRows.length === 0) {
      setNotice({ kind: "info", text: t("nothingToSave") });
      return;
    }
    const input: ReadingsToSave = {
      period: sheet.period,
      readings: changedRows.map(({ item }) => ({ meter_id: item.meter_id, value: valueToSend(drafts[item.meter_id]) })),
    };
    // A value that looks wrong is asked about once more before anything is saved.
    if (changedRows.some((r) => r.check.suspicion)) setConfirming(input);
    else send(input);
  };

  const suspicious = confirming
    ? checks.typed.filter((r) => r.check.changed && r.check.suspicion).map(({ index, check }) => ({ item: sheet.items[index], check }))
    : [];

  if (sheet.items.length === 0) return <p className="rounded-lg bg-white p-4 text-slate-700 shadow-sm">{t("empty")}</p>;

  // a posted month (or one before it) takes no readings: said before anything is typed
  const closed = sheet.closed_through !== null && sheet.closed_through >= sheet.period;

  return (
    <form onSubmit={submit} noValidate aria-label={t("formLabel")}>
      {closed && (
        <p role="note" className="mb-3 rounded bg-amber-50 p-3 text-amber-900">
          {t("closed", { through: dates.month(sheet.closed_through!) })}
        </p>
      )}
      <div className="mb-3 flex flex-wrap items-end justify-between gap-3">
        <Field
          id={FILTER_ID}
          type="search"
          label={t("filter")}
          autoComplete="off"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          onKeyDown={(e) => {
            // Enter in the filter goes to the first row found, not to the save.
            if (e.key !== "Enter") return;
            e.preventDefault();
            if (order.length > 0) focusItem(order[0]);
          }}
        />
        <label className="flex items-center gap-2 py-1.5 text-sm text-slate-800">
          <input
            type="checkbox"
            className="h-4 w-4"
            checked={missing !== null}
            onChange={(e) => setMissing(e.target.checked ? missingMeters(sheet.items) : null)}
          />
          {t("missingOnly")}
        </label>
        <p className="text-sm text-slate-600" aria-live="polite">
          {query || missing ? t("shown", { shown: order.length, total: sheet.items.length }) : ""}
        </p>
      </div>
      <p className="mb-2 text-sm text-slate-700 max-sm:hidden">{t("keyboardHint")}</p>
      <div className="rounded-t-lg bg-white shadow-sm">
        <table ref={listRef} className="w-full text-left max-sm:block" aria-rowcount={order.length + 1}>
          <caption className="sr-only">{t("formLabel")}</caption>
          <thead className="bg-slate-100 text-sm text-slate-700 max-sm:sr-only">
            <tr aria-rowindex={1}>
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
          <Spacer height={rows.before} columns={7} />
          {rows.items.map((row) => {
            const index = order[row.index];
            const item = sheet.items[index];
            const check = checks.at(index);
            const typed = drafts[item.meter_id];
            return (
              <tbody key={item.meter_id} data-index={row.index} ref={virtualizer.measureElement} className="max-sm:block">
                <SheetRow
                  index={index}
                  rowIndex={row.index + 2}
                  item={item}
                  check={check}
                  text={typed ?? (item.current ? numbers.input(item.current.value) : "")}
                  showProblem={!!check.problem && (triedToSave || !!left[item.meter_id] || isFormatProblem(check.problem))}
                  serverError={serverErrors[item.meter_id]}
                  onEdit={onEdit}
                  onLeave={onLeave}
                  onKey={onKey}
                  register={register}
                  readOnly={readOnly}
                />
              </tbody>
            );
          })}
          <Spacer height={rows.after} columns={7} />
        </table>
        {order.length === 0 && <p className="p-4 text-slate-600">{t("nothingFound")}</p>}
      </div>
      <div className="sticky bottom-0 z-10 flex flex-wrap items-center gap-x-4 gap-y-2 rounded-b-lg border-t border-slate-200 bg-white p-3 shadow-sm">
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
          <button type="button" className={secondaryButtonClass} onClick={discard} disabled={changed === 0 || save.isPending || readOnly}>
            {t("discard")}
          </button>
          <SubmitButton ref={saveButton} className={buttonClass} disabled={save.isPending || closed || readOnly}>
            {save.isPending ? t("saving") : t("save", { count: changed })}
          </SubmitButton>
        </div>
      </div>
      <ConfirmDialog
        open={confirming !== null}
        title={t("confirm.title", { count: suspicious.length })}
        message={t("confirm.text")}
        confirmLabel={t("confirm.save")}
        cancelLabel={t("confirm.back")}
        tone="primary"
        pending={save.isPending}
        onConfirm={() => confirming && send(confirming)}
        onClose={() => {
          setConfirming(null);
          // Focus goes to the first row asked about once the dialog has closed (it would give
          // focus back to the save button otherwise).
          const first = checks.typed.find((r) => r.check.changed && r.check.suspicion);
          if (first) goTo(first.index, true);
        }}
      >
        <ul className="mt-3 max-h-60 list-disc space-y-1 overflow-y-auto pl-5 text-sm">
          {suspicious.map(({ item, check }) => (
            <li key={item.meter_id}>
              {t("confirm.row", { apartment: item.apartment_number, serial: item.serial_number })}:{" "}
              {suspicionText(t, numbers, check.suspicion!, numbers.reading(check.value!.toFixed(3)))}
            </li>
          ))}
        </ul>
      </ConfirmDialog>
    </form>
  );
}

/** The meters of the sheet without a reading of its month. */
const missingMeters = (items: ReadingSheetItem[]) => new Set(items.filter((item) => !item.current).map((item) => item.meter_id));
