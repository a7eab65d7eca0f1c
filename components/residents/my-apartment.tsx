"use client";

import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import type { MyApartment, MyApartmentDetail } from "@/lib/schemas/residents";
import { ApiClientError } from "../api";
import { useDateLabels } from "../ui/dates";
import { useErrorTexts } from "../ui/errors";
import { buttonClass } from "../ui/field";
import { useNumbers } from "../ui/numbers";
import { myReceiptUrl, useMyApartment, useSendMyReadings } from "./queries";

// A resident's page of one apartment (issue 18), made for a phone: this month's readings in
// large inputs with the decimal keyboard (a comma or a point), the window, the readings sent
// before and by whom, the invoices with their payment documents, and the balance.

const card = "rounded-lg bg-white p-4 shadow-sm space-y-3";
/** What a person types for a reading: digits, then a comma or a point and up to 3 decimals. */
const READING = /^\d{1,9}([.,]\d{1,3})?$/;

export function MyApartmentView({ id }: { id: number }) {
  const t = useTranslations("residents");
  const errors = useErrorTexts();
  const apartment = useMyApartment(id);
  if (apartment.isPending) return <p role="status">{t("loading")}</p>;
  if (apartment.isError) {
    return (
      <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
        {t("loadFailed", { message: errors.message(apartment.error) })}
      </p>
    );
  }
  const a = apartment.data;
  return (
    <div className="mx-auto max-w-xl space-y-5">
      <ApartmentHeading apartment={a} level="h1" />
      <Balance apartment={a} />
      <ReadingsForm apartment={a} />
      <History apartment={a} />
      <Invoices apartment={a} />
    </div>
  );
}

/** The apartment's address, account and who the person is there (also the list's item). */
export function ApartmentHeading({ apartment: a, level }: { apartment: MyApartment; level: "h1" | "h2" }) {
  const t = useTranslations("residents");
  const Heading = level;
  return (
    <div>
      <Heading className={level === "h1" ? "text-2xl font-semibold" : "text-lg font-semibold"}>
        {t("apartment", { number: a.number, address: a.address })}
      </Heading>
      <p className="text-slate-600">
        {a.workspace_name} · {t("account", { number: a.account_number })} · {t(`kind.${a.kind}`)}
      </p>
    </div>
  );
}

export function Balance({ apartment: a }: { apartment: MyApartment }) {
  const t = useTranslations("residents.balance");
  const numbers = useNumbers();
  const balance = Number(a.balance);
  const text =
    balance > 0
      ? t("owed", { amount: numbers.money(a.balance) })
      : balance < 0
        ? t("credit", { amount: numbers.money(a.balance.replace("-", "")) })
        : t("zero");
  return (
    <p className="text-lg" data-testid="balance">
      <span className="text-slate-600">{t("title")}: </span>
      <span className={balance > 0 ? "font-semibold text-red-800" : "font-semibold"}>{text}</span>
    </p>
  );
}

function ReadingsForm({ apartment: a }: { apartment: MyApartmentDetail }) {
  const t = useTranslations("residents");
  const common = useTranslations("common");
  const errors = useErrorTexts();
  const numbers = useNumbers();
  const dates = useDateLabels();
  const sources = useTranslations("readings.source");
  const send = useSendMyReadings(a.id);
  const [typed, setTyped] = useState<Record<number, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [sentCount, setSentCount] = useState<number | null>(null);
  const filled = a.meters.map((m) => ({ meter: m, text: (typed[m.id] ?? "").trim() })).filter((r) => r.text !== "");
  const invalid = filled.filter((r) => !READING.test(r.text)).map((r) => r.meter.id);
  const error = send.error;
  const suspicious = error instanceof ApiClientError && error.reason === "reading_suspicious";
  /** The server's word on a meter's value, by its row in what was sent. */
  const fieldText = (meterId: number) => {
    const index = filled.findIndex((r) => r.meter.id === meterId);
    return index < 0 ? undefined : (errors.field(error, `readings.${index}.value`) ?? errors.field(error, `readings.${index}.meter_id`));
  };

  const submit = (confirm: boolean) => {
    setSentCount(null);
    if (filled.length === 0) return setProblem(t("form.nothing"));
    if (invalid.length > 0) return setProblem(null);
    setProblem(null);
    // the server takes a comma too; the person's own text goes as typed
    send.mutate(
      { readings: filled.map((r) => ({ meter_id: r.meter.id, value: r.text })), ...(confirm ? { confirm_suspicious: true } : {}) },
      {
        onSuccess: (saved) => {
          setTyped({});
          setSentCount(saved.items.length);
        },
      },
    );
  };
  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    submit(false);
  };

  return (
    <section className={card} aria-labelledby="send-heading">
      <h2 id="send-heading" className="text-xl font-semibold">
        {t("form.title", { month: dates.month(a.period) })}
      </h2>
      <p role="note" className={a.window.open ? "text-slate-700" : "rounded bg-amber-50 p-3 text-amber-900"} data-testid="window">
        {t(a.window.open ? "window.open" : "window.closed", { from: a.window.from, to: a.window.to })}
      </p>
      {a.window.open && a.meters.length > 0 && (
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          {a.meters.map((m) => {
            const id = `reading-${m.id}`;
            const own = invalid.includes(m.id) ? t("form.invalid") : fieldText(m.id);
            return (
              <div key={m.id} className="flex flex-col gap-1">
                <label htmlFor={id} className="font-medium">
                  {t("form.meter", { service: common(`services.${m.service}`), serial: m.serial_number })}
                </label>
                <span className="text-sm text-slate-600">
                  {m.last ? t("form.last", { value: numbers.reading(m.last.value), month: dates.month(m.last.period) }) : t("form.noLast")}
                </span>
                {m.current && (
                  <span className="text-sm text-green-800">
                    {t("form.sent", { value: numbers.reading(m.current.value) })} ({sources(m.current.source)})
                  </span>
                )}
                <input
                  id={id}
                  name={id}
                  inputMode="decimal"
                  autoComplete="off"
                  enterKeyHint="send"
                  value={typed[m.id] ?? ""}
                  onChange={(e) => {
                    setTyped((all) => ({ ...all, [m.id]: e.target.value }));
                    send.reset();
                    setSentCount(null);
                  }}
                  aria-invalid={own ? true : undefined}
                  aria-describedby={own ? `${id}-error` : undefined}
                  className="w-full rounded border border-slate-300 px-4 py-3 text-2xl tabular-nums focus:outline-2 focus:outline-brand-600 aria-[invalid=true]:border-red-600"
                />
                {own && (
                  <span id={`${id}-error`} role="alert" className="text-red-700">
                    {own}
                  </span>
                )}
              </div>
            );
          })}
          {suspicious ? (
            <div role="alertdialog" aria-labelledby="confirm-title" className="space-y-3 rounded border border-amber-300 bg-amber-50 p-3">
              <p id="confirm-title" className="font-semibold">
                {t("confirm.title")}
              </p>
              <p>{t("confirm.text")}</p>
              <div className="flex flex-wrap gap-3">
                <button type="button" className={`${buttonClass} px-5 py-3 text-lg`} onClick={() => submit(true)} disabled={send.isPending}>
                  {t("confirm.yes")}
                </button>
                <button
                  type="button"
                  className="rounded border border-slate-300 bg-white px-5 py-3 text-lg font-medium text-slate-800 hover:bg-slate-50 focus:outline-2 focus:outline-brand-600"
                  onClick={() => send.reset()}
                >
                  {t("confirm.back")}
                </button>
              </div>
            </div>
          ) : (
            <button type="submit" className={`${buttonClass} w-full py-3 text-lg`} disabled={send.isPending}>
              {send.isPending ? t("form.sending") : t("form.send")}
            </button>
          )}
          {(problem || (error && !suspicious && !a.meters.some((m) => fieldText(m.id)))) && (
            <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
              {problem ?? errors.message(error)}
            </p>
          )}
          <p role="status" className="text-green-800 empty:hidden">
            {sentCount !== null ? t("form.sentOk", { count: sentCount }) : ""}
          </p>
        </form>
      )}
    </section>
  );
}

function History({ apartment: a }: { apartment: MyApartmentDetail }) {
  const t = useTranslations("residents.history");
  const sources = useTranslations("readings.source");
  const common = useTranslations("common");
  const numbers = useNumbers();
  const dates = useDateLabels();
  return (
    <section className={card} aria-labelledby="history-heading">
      <h2 id="history-heading" className="text-xl font-semibold">
        {t("title")}
      </h2>
      {a.meters.map((m) => {
        const items = a.history.find((h) => h.meter_id === m.id)?.items ?? [];
        return (
          <table key={m.id} className="w-full text-left text-sm">
            <caption className="py-1 text-left font-medium">
              {t("caption", { service: common(`services.${m.service}`), serial: m.serial_number })}
            </caption>
            <thead className="text-slate-600">
              <tr>
                <th className="py-1 pr-2 font-normal">{t("month")}</th>
                <th className="py-1 pr-2 text-right font-normal">{t("value")}</th>
                <th className="py-1 pr-2 text-right font-normal">{t("use")}</th>
                <th className="py-1 font-normal">{t("source")}</th>
              </tr>
            </thead>
            <tbody>
              {items.length === 0 && (
                <tr>
                  <td colSpan={4} className="py-1 text-slate-600">
                    {t("empty")}
                  </td>
                </tr>
              )}
              {items.map((r) => (
                <tr key={r.period} className="border-t border-slate-100" data-source={r.source}>
                  <td className="py-1 pr-2">{dates.month(r.period)}</td>
                  <td className="py-1 pr-2 text-right tabular-nums">{numbers.decimal(r.value, 3)}</td>
                  <td className="py-1 pr-2 text-right tabular-nums">{r.consumption === null ? "—" : numbers.decimal(r.consumption, 3)}</td>
                  <td className="py-1">{sources(r.source)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        );
      })}
    </section>
  );
}

function Invoices({ apartment: a }: { apartment: MyApartmentDetail }) {
  const t = useTranslations("residents.invoices");
  const numbers = useNumbers();
  const dates = useDateLabels();
  const invoices = [...a.invoices].sort((x, y) => y.period.localeCompare(x.period));
  return (
    <section className={card} aria-labelledby="invoices-heading">
      <h2 id="invoices-heading" className="text-xl font-semibold">
        {t("title")}
      </h2>
      {invoices.length === 0 ? (
        <p className="text-slate-600">{t("empty")}</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {invoices.map((i) => (
            <li key={i.id} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
              <span>{dates.month(i.period)}</span>
              <span className="font-semibold tabular-nums">{numbers.money(i.total)}</span>
              <a href={myReceiptUrl(a.id, i.period)} download type="application/pdf" className="w-full text-brand-700 underline">
                {t("pdf")}
              </a>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
