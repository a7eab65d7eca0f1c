"use client";

import Link from "next/link";
import { useTimeZone, useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { useCanAnywhere } from "../accounts/roles";
import { useWorkspaces } from "../accounts/queries";
import { card, LoadError } from "../house/ui";
import { useHouses } from "../houses/queries";
import { useDateLabels } from "../ui/dates";
import { useErrorTexts } from "../ui/errors";
import { Field, SelectField, secondaryButtonClass } from "../ui/field";
import { useNumbers } from "../ui/numbers";
import { PaymentFields, type PaymentFormState } from "./account-view";
import { typedDecimal } from "./amounts";
import { usePaymentError } from "./errors";
import { useCreatePayment, usePayments, type PaymentFilters } from "./queries";
import { ROLES } from "@/lib/auth/roles";
import { PAYMENT_SOURCES, type PaymentSource } from "@/lib/constants";

// The payments of the person's workspaces (issue 16), newest first, filtered by house, dates and
// source, a page at a time; a manager records one by account number or imports a bank file.

const th = "py-1.5 pr-3 font-medium whitespace-nowrap";
const td = "py-1.5 pr-3 whitespace-nowrap";

export function PaymentsView() {
  const t = useTranslations("ledger.payments");
  const manage = useCanAnywhere(ROLES.manage);
  const [filters, setFilters] = useState<PaymentFilters>({});
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center gap-3">
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        {manage.allowed && (
          <Link prefetch={false} href="/payments/import" className={`${secondaryButtonClass} ml-auto inline-block px-4 py-2 text-base`}>
            {t("import")}
          </Link>
        )}
      </div>
      <p className="text-slate-700">{t("intro")}</p>
      {manage.allowed && <PaymentByAccountForm workspaceIds={manage.workspaceIds} />}
      <Filters filters={filters} onChange={setFilters} />
      <PaymentsTable filters={filters} />
    </div>
  );
}

function Filters({ filters, onChange }: { filters: PaymentFilters; onChange: (f: PaymentFilters) => void }) {
  const t = useTranslations("ledger.payments.filters");
  const sources = useTranslations("ledger.sources");
  const houses = useHouses("");
  const set = (patch: Partial<PaymentFilters>) => onChange({ ...filters, ...patch });
  return (
    <fieldset className={`${card} grid gap-3 sm:grid-cols-2 lg:grid-cols-5`}>
      <legend className="sr-only">{t("legend")}</legend>
      <SelectField
        id="payments-house"
        label={t("house")}
        value={filters.house_id ?? ""}
        onChange={(e) => set({ house_id: e.target.value ? Number(e.target.value) : undefined })}
      >
        <option value="">{t("anyHouse")}</option>
        {houses.data?.items.map((h) => (
          <option key={h.id} value={h.id}>
            {h.address}
          </option>
        ))}
      </SelectField>
      <Field
        id="payments-from"
        type="date"
        label={t("from")}
        value={filters.from ?? ""}
        onChange={(e) => set({ from: e.target.value || undefined })}
      />
      <Field
        id="payments-to"
        type="date"
        label={t("to")}
        value={filters.to ?? ""}
        onChange={(e) => set({ to: e.target.value || undefined })}
      />
      <SelectField
        id="payments-source"
        label={t("source")}
        value={filters.source ?? ""}
        onChange={(e) => set({ source: (e.target.value || undefined) as PaymentSource | undefined })}
      >
        <option value="">{t("anySource")}</option>
        {PAYMENT_SOURCES.map((s) => (
          <option key={s} value={s}>
            {sources(s)}
          </option>
        ))}
      </SelectField>
      <div className="flex items-end">
        <button type="button" className={`${secondaryButtonClass} py-2`} onClick={() => onChange({})}>
          {t("reset")}
        </button>
      </div>
    </fieldset>
  );
}

function PaymentsTable({ filters }: { filters: PaymentFilters }) {
  const t = useTranslations("ledger.payments");
  const sources = useTranslations("ledger.sources");
  const numbers = useNumbers();
  const dates = useDateLabels();
  const errors = useErrorTexts();
  const payments = usePayments(filters);
  const rows = payments.data?.pages.flatMap((p) => p.payments) ?? [];
  if (payments.isPending)
    return (
      <p role="status" className="text-slate-600">
        {t("loading")}
      </p>
    );
  if (payments.isError)
    return <LoadError message={t("loadFailed", { message: errors.message(payments.error) })} onRetry={() => payments.refetch()} />;
  return (
    <section aria-label={t("listLabel")} className={`${card} space-y-3`}>
      {rows.length === 0 ? (
        <p className="text-slate-600">{t("none")}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-slate-600">
              <tr>
                <th scope="col" className={th}>
                  {t("table.date")}
                </th>
                <th scope="col" className={`${th} text-right`}>
                  {t("table.amount")}
                </th>
                <th scope="col" className={th}>
                  {t("table.apartment")}
                </th>
                <th scope="col" className={th}>
                  {t("table.month")}
                </th>
                <th scope="col" className={th}>
                  {t("table.source")}
                </th>
                <th scope="col" className={th}>
                  {t("table.payer")}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((p) => (
                <tr key={p.id} className={`border-t border-slate-100 ${p.reversed_by ? "text-slate-500" : ""}`}>
                  <td className={`${td} tabular-nums`}>{dates.date(p.entry_date)}</td>
                  <td className={`${td} text-right tabular-nums font-medium`}>
                    <span className={p.reversed_by ? "line-through" : ""}>{numbers.money(p.amount)}</span>
                    {p.reversed_by && <span className="block text-xs font-normal text-amber-800">{t("reversed")}</span>}
                  </td>
                  <th scope="row" className={`${td} font-normal`}>
                    <Link prefetch={false} href={`/apartments/${p.apartment.id}/account`} className="text-brand-700 hover:underline">
                      {t("table.apartmentRef", { number: p.apartment.number, account: p.apartment.account_number })}
                    </Link>
                    <span className="block max-w-64 truncate text-xs text-slate-600">{p.apartment.address}</span>
                  </th>
                  <td className={td}>{p.period ? dates.month(p.period) : "—"}</td>
                  <td className={td}>{p.source ? sources(p.source) : "—"}</td>
                  <td className={`${td} max-w-48 truncate`}>{p.payer ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {payments.hasNextPage && (
        <button
          type="button"
          className={secondaryButtonClass}
          disabled={payments.isFetchingNextPage}
          onClick={() => payments.fetchNextPage()}
        >
          {payments.isFetchingNextPage ? t("loadingMore") : t("more")}
        </button>
      )}
    </section>
  );
}

const FIELDS = ["account_number", "paid_on", "amount", "period", "payer", "comment", "external_id"] as const;

/** A payment by the apartment's account number (as a bank slip names it), in a workspace the person manages. */
function PaymentByAccountForm({ workspaceIds }: { workspaceIds: number[] }) {
  const t = useTranslations("ledger.payments.byAccount");
  const workspaces = useWorkspaces();
  const create = useCreatePayment();
  const error = usePaymentError(create.error, FIELDS);
  const [account, setAccount] = useState("");
  const [workspaceId, setWorkspaceId] = useState(workspaceIds[0]);
  const timeZone = useTimeZone();
  // today where the app counts days (the server's default date too): "YYYY-MM-DD"
  const [form, setForm] = useState<PaymentFormState>(() => ({
    paid_on: new Intl.DateTimeFormat("en-CA", { timeZone }).format(new Date()),
    amount: "",
    period: "",
    payer: "",
    comment: "",
    external_id: "",
  }));
  const [done, setDone] = useState(false);
  const set = (key: keyof PaymentFormState) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    create.mutate(
      {
        account_number: account.trim(),
        // only where the person may record one (their role elsewhere may be a viewer's)
        workspace_id: workspaceId,
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
          setAccount("");
          setDone(true);
        },
      },
    );
  };
  const managed = workspaces.data?.items.filter((w) => workspaceIds.includes(w.id)) ?? [];
  return (
    <PaymentFields
      title={t("title")}
      form={form}
      set={set}
      error={error}
      submit={submit}
      pending={create.isPending || account.trim() === ""}
      done={done}
      folded
      before={
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            id="payment-account-number"
            label={t("accountNumber")}
            value={account}
            maxLength={20}
            onChange={(e) => setAccount(e.target.value)}
            error={error.fields.account_number}
            required
          />
          {managed.length > 1 && (
            <SelectField
              id="payment-workspace"
              label={t("workspace")}
              value={workspaceId}
              onChange={(e) => setWorkspaceId(Number(e.target.value))}
            >
              {managed.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.name}
                </option>
              ))}
            </SelectField>
          )}
        </div>
      }
    />
  );
}
