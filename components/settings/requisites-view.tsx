"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import { useState, type FormEvent } from "react";
import { RoleNote, useCan } from "../accounts/roles";
import { useWorkspaces } from "../accounts/queries";
import { FormError } from "../house/form";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { useApiError, useErrorTexts } from "../ui/errors";
import { buttonClass, Field } from "../ui/field";
import { SubmitButton } from "../ui/submit-button";
import { useRequisites, useUpdateRequisites } from "./queries";
import { ROLES } from "@/lib/auth/roles";
import { REQUISITE_FIELDS, type RequisiteField } from "@/lib/constants";
import type { Requisites } from "@/lib/schemas/responses";

const card = "rounded-lg bg-white p-4 shadow-sm space-y-3";

/** Each field's input: the longest value it takes and how a phone keyboard should look. */
const INPUTS: Record<RequisiteField, { maxLength: number; inputMode?: "numeric" | "email" | "tel" | "url"; wide?: boolean }> = {
  org_name: { maxLength: 300, wide: true },
  inn: { maxLength: 12, inputMode: "numeric" },
  kpp: { maxLength: 9 },
  org_address: { maxLength: 500, wide: true },
  org_phone: { maxLength: 40, inputMode: "tel" },
  org_email: { maxLength: 254, inputMode: "email" },
  org_site: { maxLength: 200, inputMode: "url" },
  settlement_account: { maxLength: 20, inputMode: "numeric" },
  bank_name: { maxLength: 300, wide: true },
  bic: { maxLength: 9, inputMode: "numeric" },
  correspondent_account: { maxLength: 20, inputMode: "numeric" },
};
const ORGANISATION: RequisiteField[] = ["org_name", "inn", "kpp", "org_address", "org_phone", "org_email", "org_site"];
const BANK: RequisiteField[] = ["settlement_account", "bank_name", "bic", "correspondent_account"];

/** Who bills (issue 17): the organisation's requisites the payment documents and their QR codes show. */
export function RequisitesView({ workspaceId }: { workspaceId: number }) {
  const t = useTranslations("settings.requisites");
  const common = useTranslations("common");
  const errors = useErrorTexts();
  const workspace = useWorkspaces().data?.items.find((w) => w.id === workspaceId);
  const manage = useCan(ROLES.manage, workspaceId);
  const read = useCan(ROLES.readBilling, workspaceId);
  const requisites = useRequisites(workspaceId);
  return (
    <div className="space-y-6">
      <Breadcrumbs items={[{ label: common("crumbs.profile"), href: "/profile" }, { label: t("title") }]} />
      <div className="flex flex-wrap items-end justify-between gap-2">
        <div>
          <h1 className="text-2xl font-semibold">{t("title")}</h1>
          {workspace && <p className="text-slate-600">{workspace.name}</p>}
        </div>
        <Link prefetch={false} href={`/workspaces/${workspaceId}/billing-settings`} className="text-sm text-brand-700 hover:underline">
          {t("settingsLink")}
        </Link>
      </div>
      {read.known && !read.allowed ? (
        <RoleNote check={read} what="requisites" />
      ) : (
        <>
          <p className="text-sm text-slate-600">{t("hint")}</p>
          <RoleNote check={manage} what="requisites" />
          {requisites.isError && (
            <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
              {errors.message(requisites.error)}
            </p>
          )}
          {requisites.isPending && <p role="status">…</p>}
          {requisites.data &&
            (manage.allowed ? (
              <RequisitesForm workspaceId={workspaceId} saved={requisites.data} />
            ) : (
              <RequisitesList requisites={requisites.data} />
            ))}
        </>
      )}
    </div>
  );
}

function Completeness({ requisites }: { requisites: Requisites }) {
  const t = useTranslations("settings.requisites");
  return requisites.complete ? (
    <p className="rounded bg-green-50 p-3 text-sm text-green-900">{t("complete")}</p>
  ) : (
    <p className="rounded bg-amber-50 p-3 text-sm text-amber-900">
      {t("missing", { fields: requisites.missing.map((f) => t(`fields.${f}`)).join(", ") })}
    </p>
  );
}

function RequisitesForm({ workspaceId, saved }: { workspaceId: number; saved: Requisites }) {
  const t = useTranslations("settings.requisites");
  const update = useUpdateRequisites(workspaceId);
  const error = useApiError(update.error, REQUISITE_FIELDS);
  const [values, setValues] = useState<Record<RequisiteField, string>>(() => pick(saved));
  const [done, setDone] = useState(false);
  const changed = REQUISITE_FIELDS.filter((f) => values[f].trim() !== saved[f]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    if (changed.length === 0) return;
    update.mutate(Object.fromEntries(changed.map((f) => [f, values[f].trim()])), {
      onSuccess: (next) => {
        setValues(pick(next));
        setDone(true);
      },
    });
  };
  const group = (title: string, fields: RequisiteField[]) => (
    <fieldset className={card}>
      <legend className="mb-2 text-lg font-semibold">{title}</legend>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {fields.map((f) => (
          <div key={f} className={INPUTS[f].wide ? "sm:col-span-2" : undefined}>
            <Field
              id={`requisite-${f}`}
              label={t(`fields.${f}`)}
              value={values[f]}
              maxLength={INPUTS[f].maxLength}
              inputMode={INPUTS[f].inputMode}
              autoComplete="off"
              spellCheck={false}
              onChange={(e) => (setValues((v) => ({ ...v, [f]: e.target.value })), setDone(false), update.reset())}
              error={error.fields[f]}
            />
          </div>
        ))}
      </div>
    </fieldset>
  );
  return (
    <form onSubmit={submit} aria-label={t("form")} className="space-y-4" noValidate>
      <Completeness requisites={saved} />
      {group(t("organisation"), ORGANISATION)}
      {group(t("bank"), BANK)}
      <div className="flex flex-wrap items-center gap-3">
        <SubmitButton className={buttonClass} disabled={update.isPending || changed.length === 0}>
          {t("save")}
        </SubmitButton>
        <FormError message={error.form} />
        <p role="status" className="text-sm text-green-800 empty:hidden">
          {done ? t("saved") : ""}
        </p>
      </div>
    </form>
  );
}

function RequisitesList({ requisites }: { requisites: Requisites }) {
  const t = useTranslations("settings.requisites");
  return (
    <section className={card} aria-label={t("title")}>
      <Completeness requisites={requisites} />
      <dl className="grid grid-cols-1 gap-x-4 gap-y-2 sm:grid-cols-[max-content_1fr]">
        {REQUISITE_FIELDS.map((f) => (
          <div key={f} className="contents">
            <dt className="text-sm text-slate-600">{t(`fields.${f}`)}</dt>
            <dd className="break-words tabular-nums">{requisites[f] || "—"}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

const pick = (r: Requisites) => Object.fromEntries(REQUISITE_FIELDS.map((f) => [f, r[f]])) as Record<RequisiteField, string>;
