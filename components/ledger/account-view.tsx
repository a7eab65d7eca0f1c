"use client";

import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { RoleNote, useCan } from "../accounts/roles";
import { useApartment } from "../apartment/queries";
import { card, LoadError } from "../house/ui";
import { FormError } from "../house/form";
import { useHouseSummary } from "../houses/queries";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { useDateLabels } from "../ui/dates";
import { useApiError, useErrorTexts, type ApiErrorView } from "../ui/errors";
import { buttonClass, dangerButtonClass, Field, secondaryButtonClass } from "../ui/field";
import { useNumbers } from "../ui/numbers";
import { SubmitButton } from "../ui/submit-button";
import { absolute, isNegative, isZero, typedDecimal } from "./amounts";
import { usePaymentError } from "./errors";
import { useAccount, useCreatePayment, useReversePayment, useSetOpeningBalance } from "./queries";
import { ROLES } from "@/lib/auth/roles";
import type { AccountOut, LedgerEntryOut } from "@/lib/schemas/ledger";

// The apartment's account (лицевой счёт, issue 16): as of a chosen day, what it owes or has in
// credit, the penalties, each month's charge and payments, every entry; a manager records a
// payment, reverses one entered by mistake, and sets the opening balance.

const th = "py-1.5 pr-3 font-medium whitespace-nowrap";
const td = "py-1.5 pr-3 whitespace-nowrap tabular-nums";

export function AccountView({ id }: { id: number }) {
  const t = useTranslations("ledger.account");
  const common = useTranslations("common");
  const errors = useErrorTexts();
  const [asOf, setAsOf] = useState<string | null>(null);
  const account = useAccount(id, asOf);
  const apartment = useApartment(id);
  const houseId = account.data?.apartment.house_id ?? apartment.data?.house_id;
  const house = useHouseSummary(houseId);
  const manage = useCan(ROLES.manage, house.data?.workspace_id);
  const number = account.data?.apartment.number ?? apartment.data?.number ?? `#${id}`;

  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <Breadcrumbs
          items={[
            { label: common("crumbs.houses"), href: "/houses" },
            ...(houseId ? [{ label: house.data?.address ?? "…", href: `/houses/${houseId}` }] : []),
            { label: common("crumbs.apartment", { number }), href: `/apartments/${id}` },
            { label: t("crumb") },
          ]}
        />
        <h1 className="text-2xl font-semibold">{t("title", { number })}</h1>
        {account.data && <p className="text-slate-700">{t("accountNumber", { number: account.data.apartment.account_number })}</p>}
      </div>
      <div className="max-w-48">
        <Field
          id="account-as-of"
          type="date"
          label={t("asOf")}
          value={asOf ?? account.data?.as_of ?? ""}
          onChange={(e) => setAsOf(e.target.value || null)}
        />
      </div>
      {account.isPending && (
        <p role="status" className="text-slate-600">
          {t("loading")}
        </p>
      )}
      {account.isError && (
        <LoadError message={t("loadFailed", { message: errors.message(account.error) })} onRetry={() => account.refetch()} />
      )}
      {account.data && (
        <>
          <Summary account={account.data} />
          <RoleNote check={manage} />
          {manage.allowed && (
            <div className="grid gap-6 lg:grid-cols-2">
              <PaymentForm apartmentId={id} today={account.data.as_of} />
              <OpeningBalanceForm apartmentId={id} account={account.data} />
            </div>
          )}
          <MonthsTable account={account.data} />
          <EntriesList account={account.data} editable={manage.allowed} />
        </>
      )}
    </div>
  );
}

function Summary({ account }: { account: AccountOut }) {
  const t = useTranslations("ledger.account.summary");
  const numbers = useNumbers();
  const dates = useDateLabels();
  const credit = isNegative(account.balance);
  const items: [string, string, string][] = [
    [
      credit ? t("credit") : t("debt"),
      numbers.money(absolute(account.balance)),
      credit ? "text-emerald-700" : isZero(account.balance) ? "" : "text-red-700",
    ],
    [t("penaltiesAccrued"), numbers.money(account.penalties.accrued), ""],
    [t("penaltiesNotCharged"), numbers.money(account.penalties.not_charged), ""],
    [t("totalDue", { date: dates.date(account.as_of) }), numbers.money(isNegative(account.total_due) ? "0" : account.total_due), ""],
  ];
  return (
    <section aria-label={t("label")} className="space-y-2">
      <dl className="grid grid-cols-2 gap-2 sm:grid-cols-4 sm:gap-3">
        {items.map(([term, value, tone]) => (
          <div key={term} className={`${card} max-sm:p-2.5`}>
            <dt className="text-sm text-slate-600 max-sm:text-xs">{term}</dt>
            <dd
              className={`text-xl font-semibold tabular-nums max-sm:text-base ${tone}`}
              data-testid={term === items[0][0] ? "balance" : undefined}
            >
              {value}
            </dd>
          </div>
        ))}
      </dl>
      {account.months_overdue > 0 && account.oldest_overdue_month && (
        <p className="text-sm text-red-800">
          {t("overdue", { count: account.months_overdue, month: dates.month(account.oldest_overdue_month) })}
        </p>
      )}
    </section>
  );
}

function MonthsTable({ account }: { account: AccountOut }) {
  const t = useTranslations("ledger.account.months");
  const numbers = useNumbers();
  const dates = useDateLabels();
  return (
    <section aria-labelledby="months-heading" className={card}>
      <h2 id="months-heading" className="mb-2 text-lg font-semibold">
        {t("title")}
      </h2>
      {account.months.length === 0 && !account.opening ? (
        <p className="text-slate-600">{t("none")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className={th}>
                  {t("month")}
                </th>
                <th scope="col" className={th}>
                  {t("due")}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t("charged")}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t("paid")}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t("owed")}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t("daysOverdue")}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t("penalty")}
                </th>
              </tr>
            </thead>
            <tbody>
              {account.opening && (
                <tr className="border-t border-slate-100">
                  <th scope="row" className={`${td} font-normal`}>
                    {t("opening")}
                  </th>
                  <td className={td}>—</td>
                  <td className={`${td} text-right`}>{numbers.money(account.opening.amount)}</td>
                  <td className={`${td} text-right`}>{numbers.money(account.opening.paid)}</td>
                  <td className={`${td} text-right`}>{numbers.money(account.opening.owed)}</td>
                  <td className={`${td} text-right`}>—</td>
                  <td className={`${td} text-right`}>—</td>
                </tr>
              )}
              {account.months.map((m) => (
                <tr key={m.period} className="border-t border-slate-100">
                  <th scope="row" className={`${td} font-normal`}>
                    {dates.month(m.period)}
                  </th>
                  <td className={td}>{m.due_date ? dates.date(m.due_date) : "—"}</td>
                  <td className={`${td} text-right`}>{numbers.money(m.charged)}</td>
                  <td className={`${td} text-right`}>{numbers.money(m.paid)}</td>
                  <td className={`${td} text-right ${isZero(m.owed) ? "" : "font-medium text-red-700"}`}>{numbers.money(m.owed)}</td>
                  <td className={`${td} text-right`}>{m.days_overdue > 0 ? numbers.integer(m.days_overdue) : "—"}</td>
                  <td className={`${td} text-right`}>{isZero(m.penalty_accrued) ? "—" : numbers.money(m.penalty_accrued)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function EntriesList({ account, editable }: { account: AccountOut; editable: boolean }) {
  const t = useTranslations("ledger");
  const numbers = useNumbers();
  const dates = useDateLabels();
  const byId = new Map(account.entries.map((e) => [e.id, e]));
  // newest first by the day it counts from, then by when it was recorded
  const entries = [...account.entries].sort((a, b) => b.entry_date.localeCompare(a.entry_date) || b.id - a.id);
  return (
    <section aria-labelledby="entries-heading" className={card}>
      <h2 id="entries-heading" className="mb-2 text-lg font-semibold">
        {t("entries.title")}
      </h2>
      {entries.length === 0 ? (
        <p className="text-slate-600">{t("entries.none")}</p>
      ) : (
        <ul aria-labelledby="entries-heading" className="divide-y divide-slate-100">
          {entries.map((e) => {
            const reversal = e.reversed_by === null ? undefined : byId.get(e.reversed_by);
            const reversed = byId.get(e.reverses_id ?? -1);
            return (
              <li key={e.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm" data-kind={e.kind}>
                <span className="w-24 shrink-0 tabular-nums text-slate-600">{dates.date(e.entry_date)}</span>
                <span className={`min-w-32 flex-1 ${reversal ? "text-slate-500 line-through" : ""}`}>
                  {t(`kinds.${e.kind}`)}
                  {e.period && <span className="text-slate-600"> · {dates.month(e.period)}</span>}
                  {e.kind === "payment" && e.source && e.source !== "manual" && (
                    <span className="text-slate-600"> · {t(`sources.${e.source}`)}</span>
                  )}
                </span>
                <span
                  className={`tabular-nums font-medium ${reversal ? "text-slate-500 line-through" : isNegative(e.amount) ? "text-emerald-700" : ""}`}
                >
                  {numbers.money(e.amount)}
                </span>
                <EntryDetails entry={e} reversal={reversal} reversed={reversed} />
                {editable && e.kind === "payment" && !reversal && <ReverseAction payment={e} />}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}

function EntryDetails({ entry, reversal, reversed }: { entry: LedgerEntryOut; reversal?: LedgerEntryOut; reversed?: LedgerEntryOut }) {
  const t = useTranslations("ledger.entries");
  const kinds = useTranslations("ledger.kinds");
  const dates = useDateLabels();
  const parts = [
    entry.payer && t("payer", { payer: entry.payer }),
    entry.external_id && t("externalId", { id: entry.external_id }),
    entry.comment,
    reversed && t("reverses", { what: kinds(reversed.kind).toLocaleLowerCase(), date: dates.date(reversed.entry_date) }),
    entry.reason && t("reason", { reason: entry.reason }),
  ].filter(Boolean);
  return (
    <>
      {parts.length > 0 && <span className="w-full break-words pl-0 text-slate-600 sm:pl-27">{parts.join(" · ")}</span>}
      {reversal && (
        <span className="w-full rounded bg-amber-50 px-2 py-1 text-amber-900 sm:ml-27">
          {t("reversedBy", { date: dates.dateTime(reversal.created_at), reason: reversal.reason ?? "" })}
        </span>
      )}
    </>
  );
}

function ReverseAction({ payment }: { payment: LedgerEntryOut }) {
  const t = useTranslations("ledger.reverse");
  const numbers = useNumbers();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState("");
  const reverse = useReversePayment();
  const error = useApiError(reverse.error, ["reason"]);
  if (!open) {
    return (
      <button
        type="button"
        className={dangerButtonClass}
        aria-label={t("openLabel", { amount: numbers.money(absolute(payment.amount)) })}
        onClick={() => setOpen(true)}
      >
        {t("open")}
      </button>
    );
  }
  const submit = (e: FormEvent) => {
    e.preventDefault();
    reverse.mutate({ id: payment.id, reason: reason.trim() }, { onSuccess: () => setOpen(false) });
  };
  return (
    <form onSubmit={submit} aria-label={t("form")} className="flex w-full flex-wrap items-end gap-2" noValidate>
      <div className="min-w-56 flex-1">
        <Field
          id={`reverse-reason-${payment.id}`}
          label={t("reason")}
          value={reason}
          required
          maxLength={500}
          autoFocus
          onChange={(e) => setReason(e.target.value)}
          error={error.fields.reason}
        />
      </div>
      <SubmitButton className={buttonClass} disabled={reverse.isPending || reason.trim() === ""}>
        {t("submit")}
      </SubmitButton>
      <button type="button" className={`${secondaryButtonClass} py-2`} onClick={() => setOpen(false)}>
        {t("cancel")}
      </button>
      <FormError message={error.form} />
    </form>
  );
}

const PAYMENT_FIELDS = ["paid_on", "amount", "period", "payer", "comment", "external_id"] as const;

/** A payment for this apartment; the month it pays, the payer, a comment and the bank's id optional. */
function PaymentForm({ apartmentId, today }: { apartmentId: number; today: string }) {
  const t = useTranslations("ledger.payment");
  const create = useCreatePayment();
  const error = usePaymentError(create.error, PAYMENT_FIELDS);
  const [form, setForm] = useState({ paid_on: today, amount: "", period: "", payer: "", comment: "", external_id: "" });
  const [done, setDone] = useState(false);
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    create.mutate(
      {
        apartment_id: apartmentId,
        paid_on: form.paid_on,
        amount: typedDecimal(form.amount),
        period: form.period || undefined,
        payer: form.payer.trim() || undefined,
        comment: form.comment.trim() || undefined,
        external_id: form.external_id.trim() || undefined,
      },
      {
        onSuccess: () => {
          setForm((f) => ({ ...f, amount: "", period: "", payer: "", comment: "", external_id: "" }));
          setDone(true);
        },
      },
    );
  };
  return <PaymentFields title={t("title")} form={form} set={set} error={error} submit={submit} pending={create.isPending} done={done} />;
}

export interface PaymentFormState {
  paid_on: string;
  amount: string;
  period: string;
  payer: string;
  comment: string;
  external_id: string;
}

/** The fields of a payment, shared by the account page and the payments page (which adds the account number). */
export function PaymentFields({
  title,
  form,
  set,
  error,
  submit,
  pending,
  done,
  before,
  folded = false,
}: {
  title: string;
  form: PaymentFormState;
  set: (key: keyof PaymentFormState) => (e: { target: { value: string } }) => void;
  error: ApiErrorView;
  submit: (e: FormEvent) => void;
  pending: boolean;
  done: boolean;
  before?: React.ReactNode;
  /** behind its title until opened */
  folded?: boolean;
}) {
  const t = useTranslations("ledger.payment");
  const body = (
    <>
      {before}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field
          id="payment-date"
          type="date"
          label={t("date")}
          value={form.paid_on}
          onChange={set("paid_on")}
          error={error.fields.paid_on}
          required
        />
        <Field
          id="payment-amount"
          label={t("amount")}
          inputMode="decimal"
          value={form.amount}
          onChange={set("amount")}
          error={error.fields.amount}
          required
        />
        <Field
          id="payment-period"
          type="month"
          label={t("period")}
          value={form.period}
          onChange={set("period")}
          error={error.fields.period}
        />
        <Field
          id="payment-payer"
          label={t("payer")}
          value={form.payer}
          maxLength={200}
          onChange={set("payer")}
          error={error.fields.payer}
        />
        <Field
          id="payment-external-id"
          label={t("externalId")}
          value={form.external_id}
          maxLength={100}
          onChange={set("external_id")}
          error={error.fields.external_id}
        />
        <Field
          id="payment-comment"
          label={t("comment")}
          value={form.comment}
          maxLength={1000}
          onChange={set("comment")}
          error={error.fields.comment}
        />
      </div>
      <FormError message={error.form} />
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton className={buttonClass} disabled={pending || form.amount.trim() === "" || form.paid_on === ""}>
          {t("submit")}
        </SubmitButton>
        {done && (
          <p role="status" className="text-sm text-emerald-800">
            {t("done")}
          </p>
        )}
      </div>
    </>
  );
  // Folded: on a page where it is not the main thing (the payments list), the form waits behind its title.
  if (folded)
    return (
      <details className={card}>
        <summary className="cursor-pointer text-lg font-semibold">{title}</summary>
        <form onSubmit={submit} aria-label={title} className="mt-3 space-y-3" noValidate>
          {body}
        </form>
      </details>
    );
  return (
    <form onSubmit={submit} aria-labelledby="payment-form-title" className={`${card} space-y-3`} noValidate>
      <h2 id="payment-form-title" className="text-lg font-semibold">
        {title}
      </h2>
      {body}
    </form>
  );
}

/** The debt (+) or credit (−) the apartment starts with here; 0 removes it. */
function OpeningBalanceForm({ apartmentId, account }: { apartmentId: number; account: AccountOut }) {
  const t = useTranslations("ledger.opening");
  const numbers = useNumbers();
  const current = account.entries.find((e) => e.kind === "opening" && e.reversed_by === null);
  const [amount, setAmount] = useState(current ? numbers.input(current.amount) : "");
  const [date, setDate] = useState(current?.entry_date ?? account.as_of);
  const [comment, setComment] = useState(current?.comment ?? "");
  const [done, setDone] = useState(false);
  const save = useSetOpeningBalance(apartmentId);
  const error = useApiError(save.error, ["amount", "date", "comment"]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    save.mutate({ amount: typedDecimal(amount), date, comment: comment.trim() || undefined }, { onSuccess: () => setDone(true) });
  };
  return (
    // Folded: set once per apartment, when it starts being billed here.
    <details className={`${card} self-start`}>
      <summary className="cursor-pointer text-lg font-semibold">{t("title")}</summary>
      <form onSubmit={submit} aria-label={t("title")} className="mt-3 space-y-3" noValidate>
        <p className="text-sm text-slate-600">{t("hint")}</p>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            id="opening-amount"
            label={t("amount")}
            inputMode="decimal"
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
            error={error.fields.amount}
            required
          />
          <Field
            id="opening-date"
            type="date"
            label={t("date")}
            value={date}
            onChange={(e) => setDate(e.target.value)}
            error={error.fields.date}
          />
          <div className="sm:col-span-2">
            <Field
              id="opening-comment"
              label={t("comment")}
              value={comment}
              maxLength={1000}
              onChange={(e) => setComment(e.target.value)}
            />
          </div>
        </div>
        <FormError message={error.form} />
        <div className="flex flex-wrap items-center gap-3">
          <SubmitButton className={buttonClass} disabled={save.isPending || amount.trim() === "" || date === ""}>
            {t("submit")}
          </SubmitButton>
          {done && (
            <p role="status" className="text-sm text-emerald-800">
              {t("done")}
            </p>
          )}
        </div>
      </form>
    </details>
  );
}
