"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { memo, useCallback, useDeferredValue, useMemo, useRef, useState, type FormEvent } from "react";
import { buttonClass, Field, secondaryButtonClass } from "../ui/field";
import { SubmitButton } from "../ui/submit-button";
import { ApartmentEditor } from "./apartment-editor";
import { useFocusAfterRender } from "./focus";
import { toDecimalInput } from "./format";
import { useApiError, useErrorTexts } from "../ui/errors";
import { Spacer } from "../ui/spacer";
import { useWindowRows } from "../ui/virtual";
import { useNumbers } from "../ui/numbers";
import { BESIDE_FIELDS, FormError } from "./form";
import { editButtonId, editorId } from "./ids";
import { useDateLabels, type DateLabels } from "../ui/dates";
import type { HouseApartment, HouseDetail } from "@/lib/schemas/responses";
import { useArchiveApartment, useCreateApartment } from "./queries";

/**
 * The house's apartments as one plain table. A house may have 500 of them: rows are memoised
 * and hold no hooks, the editor exists only for the one open row, and the filter is deferred
 * so typing stays smooth.
 */
/** `editable`: the person's role may change the register (else no add, edit or restore controls). */

/** How many characters of a search make it look into the account numbers as well as match one whole. */
const ACCOUNT_QUERY_MIN = 6;
export function ApartmentsSection({ house, editable }: { house: HouseDetail; editable: boolean }) {
  const t = useTranslations("house");
  const common = useTranslations("common");
  const dates = useDateLabels();
  const numbers = useNumbers();
  const [filter, setFilter] = useState("");
  const query = useDeferredValue(filter.trim().toLowerCase());
  const [openId, setOpenId] = useState<number | null>(null);

  const visible = useMemo(
    () =>
      query
        ? house.apartments.filter(
            (a) =>
              a.number.toLowerCase().includes(query) ||
              // an account number is typed whole (or a long piece of it): "250" is apartment 250,
              // not every zero-padded number with 250 in it
              (query.length >= ACCOUNT_QUERY_MIN
                ? a.account_number.toLowerCase().includes(query)
                : a.account_number.toLowerCase() === query) ||
              a.meters.some((m) => m.serial_number.toLowerCase().includes(query)),
          )
        : house.apartments,
    [house.apartments, query],
  );
  const labels = useMemo<RowLabels>(
    () => ({
      edit: t("apartments.edit"),
      editNamed: (number) => t("apartments.editNamed", { number }),
      accountShort: t("apartments.accountShort"),
      noMeters: t("apartments.noMeters"),
      noReading: t("apartments.noReading"),
      serial: (serial) => t("apartments.serial", { serial }),
      services: { cold_water: common("services.cold_water"), hot_water: common("services.hot_water") },
      area: numbers.area,
      reading: numbers.reading,
    }),
    [t, common, numbers],
  );
  const toggle = useCallback((id: number) => setOpenId((current) => (current === id ? null : id)), []);
  const focusLater = useFocusAfterRender();
  const close = useCallback(
    (id: number, deleted: boolean) => {
      setOpenId(null);
      // Focus goes back where it came from, or to the filter when that row is gone.
      focusLater(deleted ? FILTER_ID : editButtonId(id));
    },
    [focusLater],
  );

  return (
    <section aria-labelledby="apartments-heading" className="space-y-3">
      <h2 id="apartments-heading" className="text-xl font-semibold">
        {t("apartments.title")}
      </h2>
      {editable && <AddApartmentForm houseId={house.id} />}
      <div className="flex flex-wrap items-end justify-between gap-3">
        <Field id={FILTER_ID} type="search" label={t("apartments.filter")} value={filter} onChange={(e) => setFilter(e.target.value)} />
        <p className="text-sm text-slate-600" aria-live="polite">
          {query
            ? t("apartments.shown", { shown: visible.length, total: house.apartments.length })
            : t("apartments.count", { count: house.apartments.length })}
        </p>
      </div>
      {house.apartments.length === 0 ? (
        <p className="rounded-lg bg-white p-4 text-slate-600 shadow-sm">{t("apartments.empty")}</p>
      ) : (
        <ApartmentList
          houseId={house.id}
          apartments={visible}
          openId={openId}
          onToggle={toggle}
          onClose={close}
          labels={labels}
          dates={dates}
          editable={editable}
        />
      )}
      {house.archived_apartments.length > 0 && <ArchivedApartments house={house} editable={editable} />}
    </section>
  );
}

/** Desktop: a table row; phone: a card (number and area on top, meters under them). */
const ROW = "border-t border-slate-100 align-top max-sm:grid max-sm:grid-cols-[1fr_auto] max-sm:gap-x-3 max-sm:px-3 max-sm:py-2";
const HEAD = "bg-slate-100 text-sm text-slate-700 max-sm:sr-only";

interface ListProps {
  houseId: number;
  apartments: HouseApartment[];
  openId: number | null;
  onToggle: (id: number) => void;
  onClose: (id: number, deleted: boolean) => void;
  labels: RowLabels;
  dates: DateLabels;
  editable: boolean;
}

/** The apartments drawn as they scroll into view: a house may have a thousand of them. */
function ApartmentList({ houseId, apartments, openId, onToggle, onClose, labels, dates, editable }: ListProps) {
  const t = useTranslations("house");
  const listRef = useRef<HTMLTableElement>(null);
  const rows = useWindowRows(listRef, apartments.length, { estimate: 64 });
  return (
    <div className="rounded-lg bg-white shadow-sm">
      <table ref={listRef} className="w-full text-left max-sm:block" aria-rowcount={apartments.length + 1}>
        <caption className="sr-only">{t("apartments.title")}</caption>
        <thead className={HEAD}>
          <tr aria-rowindex={1}>
            <th scope="col" className="px-4 py-2">
              {t("apartments.number")}
            </th>
            <th scope="col" className="px-4 py-2 text-right">
              {t("apartments.area")}
            </th>
            <th scope="col" className="px-4 py-2">
              {t("apartments.accountNumber")}
            </th>
            <th scope="col" className="px-4 py-2">
              {t("apartments.meters")}
            </th>
            <th scope="col" className="px-4 py-2">
              <span className="sr-only">{t("apartments.actions")}</span>
            </th>
          </tr>
        </thead>
        <Spacer height={rows.before} columns={5} />
        {rows.items.map((item) => {
          const apartment = apartments[item.index];
          return (
            <tbody key={apartment.id} data-index={item.index} ref={rows.virtualizer.measureElement} className="max-sm:block">
              <ApartmentRow
                apartment={apartment}
                index={item.index}
                open={openId === apartment.id}
                onToggle={onToggle}
                labels={labels}
                dates={dates}
                editable={editable}
              />
              {editable && openId === apartment.id && (
                <tr className="max-sm:block">
                  <td colSpan={5} className="border-t border-brand-100 bg-brand-50 p-0 max-sm:block">
                    <ApartmentEditor houseId={houseId} apartment={apartment} onClose={onClose} />
                  </td>
                </tr>
              )}
            </tbody>
          );
        })}
        <Spacer height={rows.after} columns={5} />
      </table>
      {apartments.length === 0 && <p className="p-4 text-slate-600">{t("apartments.nothingFound")}</p>}
    </div>
  );
}

const FILTER_ID = "apartment-filter";

/** The archived apartments, folded away: each can be opened (its invoices) or brought back. */
function ArchivedApartments({ house, editable }: { house: HouseDetail; editable: boolean }) {
  const t = useTranslations("house.archived");
  const dates = useDateLabels();
  const restore = useArchiveApartment(house.id);
  const errors = useErrorTexts();
  return (
    <details className="rounded-lg bg-white p-4 shadow-sm">
      <summary className="cursor-pointer font-medium">{t("title", { count: house.archived_apartments.length })}</summary>
      <p className="mt-2 text-sm text-slate-600">{t("hint")}</p>
      <ul className="mt-2 divide-y divide-slate-100">
        {house.archived_apartments.map((a) => (
          <li key={a.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <span>
              <Link href={`/apartments/${a.id}`} prefetch={false} className="text-brand-700 hover:underline">
                {a.number}
              </Link>{" "}
              <span className="text-sm text-slate-600">
                {t("account", { account: a.account_number })} · {t("since", { date: dates.dateTime(a.archived_at) })}
              </span>
            </span>
            {editable && (
              <button
                type="button"
                className={secondaryButtonClass}
                aria-label={t("restoreNamed", { number: a.number })}
                disabled={restore.isPending}
                onClick={() => restore.mutate({ id: a.id, archived: false })}
              >
                {t("restore")}
              </button>
            )}
          </li>
        ))}
      </ul>
      {restore.isError && <FormError message={errors.message(restore.error)} />}
    </details>
  );
}

interface RowLabels {
  edit: string;
  editNamed: (number: string) => string;
  /** "л/с", before the number on a phone (where the column has no visible header) */
  accountShort: string;
  noMeters: string;
  noReading: string;
  serial: (serial: string) => string;
  services: Record<HouseApartment["meters"][number]["service"], string>;
  area: (value: string) => string;
  reading: (value: string) => string;
}

interface RowProps {
  apartment: HouseApartment;
  index: number;
  open: boolean;
  onToggle: (id: number) => void;
  labels: RowLabels;
  dates: DateLabels;
  editable: boolean;
}

const ApartmentRow = memo(function ApartmentRow({ apartment, index, open, onToggle, labels, dates, editable }: RowProps) {
  return (
    <tr className={ROW} aria-rowindex={index + 2}>
      <th scope="row" className="px-4 py-2 font-medium max-sm:p-0">
        <Link href={`/apartments/${apartment.id}`} prefetch={false} className="text-brand-700 hover:underline">
          {apartment.number}
        </Link>
      </th>
      <td className="px-4 py-2 text-right tabular-nums whitespace-nowrap max-sm:p-0">{labels.area(apartment.area)}</td>
      <td className="px-4 py-2 text-sm tabular-nums text-slate-700 max-sm:col-span-2 max-sm:row-start-2 max-sm:p-0">
        <span className="sm:hidden">{labels.accountShort} </span>
        {apartment.account_number}
      </td>
      <td className="px-4 py-2 text-sm max-sm:col-span-2 max-sm:row-start-3 max-sm:p-0 max-sm:pt-1">
        {apartment.meters.length === 0 ? (
          <span className="text-slate-500">{labels.noMeters}</span>
        ) : (
          <ul className="space-y-0.5">
            {apartment.meters.map((m) => (
              <li key={m.id}>
                <span className="font-medium">{labels.services[m.service]}</span>{" "}
                <span className="text-slate-600">{labels.serial(m.serial_number)}</span>
                {": "}
                {m.last_reading ? (
                  <>
                    <span className="tabular-nums">{labels.reading(m.last_reading.value)}</span>{" "}
                    <span className="text-slate-600">({dates.month(m.last_reading.period)})</span>
                  </>
                ) : (
                  <span className="text-slate-500">{labels.noReading}</span>
                )}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td className="px-4 py-2 text-right max-sm:col-span-2 max-sm:p-0 max-sm:pt-2 max-sm:text-left">
        {editable && (
          <button
            id={editButtonId(apartment.id)}
            type="button"
            className={secondaryButtonClass}
            aria-label={labels.editNamed(apartment.number)}
            aria-expanded={open}
            aria-controls={open ? editorId(apartment.id) : undefined}
            onClick={() => onToggle(apartment.id)}
          >
            {labels.edit}
          </button>
        )}
      </td>
    </tr>
  );
});

function AddApartmentForm({ houseId }: { houseId: number }) {
  const t = useTranslations("house");
  const [number, setNumber] = useState("");
  const [area, setArea] = useState("");
  const [account, setAccount] = useState("");
  const [added, setAdded] = useState<string | null>(null);
  const create = useCreateApartment(houseId);
  const errors = useApiError(create.error, ["number", "area", "account_number"]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    create.mutate(
      { number: number.trim(), area: toDecimalInput(area), ...(account.trim() ? { account_number: account.trim() } : {}) },
      {
        onSuccess: (apartment) => {
          setAdded(apartment.number);
          setNumber("");
          setArea("");
          setAccount("");
          // Ready for the next one: managers add a house's apartments in a row.
          document.getElementById("new-apartment-number")?.focus();
        },
      },
    );
  };

  return (
    <form
      onSubmit={submit}
      aria-labelledby="new-apartment-heading"
      className="flex flex-wrap items-start gap-3 rounded-lg bg-white p-4 shadow-sm"
      noValidate
    >
      <h3 id="new-apartment-heading" className="w-full font-medium">
        {t("newApartment.title")}
      </h3>
      <div className="w-36">
        <Field
          id="new-apartment-number"
          label={t("fields.number")}
          value={number}
          maxLength={20}
          onChange={(e) => (setNumber(e.target.value), create.reset())}
          error={errors.fields.number}
        />
      </div>
      <div className="w-36">
        <Field
          id="new-apartment-area"
          label={t("fields.area")}
          inputMode="decimal"
          value={area}
          onChange={(e) => (setArea(e.target.value), create.reset())}
          error={errors.fields.area}
        />
      </div>
      <div className="w-56">
        <Field
          id="new-apartment-account"
          label={t("fields.accountNumberOptional")}
          value={account}
          maxLength={20}
          onChange={(e) => (setAccount(e.target.value), create.reset())}
          error={errors.fields.account_number}
        />
      </div>
      <SubmitButton className={`${buttonClass} ${BESIDE_FIELDS}`} disabled={create.isPending}>
        {t("newApartment.submit")}
      </SubmitButton>
      <FormError message={errors.form} />
      <p role="status" className="w-full text-sm text-green-800 empty:hidden">
        {added !== null ? t("newApartment.added", { number: added }) : ""}
      </p>
    </form>
  );
}
