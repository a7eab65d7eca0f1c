"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import type { HouseMonth } from "@/lib/schemas/responses";
import { useDateLabels } from "../ui/dates";
import { useApiError, useErrorTexts } from "../ui/errors";
import { buttonClass, secondaryButtonClass } from "../ui/field";
import { useHouseMonth, useMonthAction } from "./queries";
import { RoleNote, type RoleCheck } from "../accounts/roles";

/**
 * The month from draft to posted, under the start button: its state; the drafts out of date
 * and why (billing the month again brings them up to date); posting, or why it cannot be
 * posted yet; a posted month's reopening (owners, with a reason); the month's history.
 */
export function MonthPanel({
  houseId,
  period,
  canPost,
  reopen,
}: {
  houseId: number;
  period: string;
  /** the person's role may post the month (an owner's or an accountant's) */
  canPost: boolean;
  /** whether the person's role may reopen a posted month (an owner's) */
  reopen: RoleCheck;
}) {
  const t = useTranslations("billing.month");
  const common = useTranslations("common");
  const errors = useErrorTexts();
  const dates = useDateLabels();
  const month = useHouseMonth(houseId, period);
  const action = useMonthAction(houseId, period);
  const actionError = useApiError(action.error);
  const [reopening, setReopening] = useState(false);
  const [reason, setReason] = useState("");
  const canReopen = reopen.allowed;

  if (month.isPending) return <p role="status">{common("loading")}</p>;
  if (month.isError)
    return (
      <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
        {common("loadFailed", { message: errors.message(month.error) })}
      </p>
    );
  const m: HouseMonth = month.data;
  const tone =
    m.state === "posted"
      ? "bg-green-50 text-green-900"
      : m.state === "out_of_date"
        ? "bg-amber-50 text-amber-900"
        : "bg-slate-50 text-slate-800";

  return (
    <section aria-labelledby="month-heading" className="space-y-3 rounded-lg bg-white p-4 shadow-sm" data-state={m.state}>
      <h2 id="month-heading" className="text-lg font-semibold">
        {t("heading")}
      </h2>
      <p className={`rounded p-3 text-sm ${tone}`} data-testid="month-state">
        {t(`state.${m.state}`, { posted: m.posted_at ? dates.dateTime(m.posted_at) : "" })}
      </p>

      {m.out_of_date.length > 0 && (
        <div className="space-y-1">
          <p className="text-sm font-medium">{t("outOfDate", { count: m.out_of_date.length })}</p>
          <ul className="list-inside list-disc text-sm" aria-label={t("outOfDateList")}>
            {m.out_of_date.map((i) => (
              <li key={i.invoice_id}>
                {t("apartmentReasons", {
                  number: i.apartment_number,
                  reasons: i.reasons.map((r) => t(`reasons.${r}`)).join(", "),
                })}
              </li>
            ))}
          </ul>
        </div>
      )}
      {m.unbilled_apartments.length > 0 && (
        <p className="text-sm">{t("unbilled", { numbers: m.unbilled_apartments.map((a) => a.apartment_number).join(", ") })}</p>
      )}

      {canPost && m.state !== "posted" && m.state !== "not_billed" && (
        <div className="flex flex-wrap items-center gap-3">
          <button
            type="button"
            className={buttonClass}
            disabled={!m.can_post || action.isPending}
            onClick={() => action.mutate({ kind: "post" })}
          >
            {t("post")}
          </button>
          {m.post_refused && <p className="text-sm text-slate-700">{errors.reason(m.post_refused.reason, m.post_refused.params)}</p>}
        </div>
      )}

      {canReopen && m.can_reopen && !reopening && (
        <button type="button" className={secondaryButtonClass} onClick={() => setReopening(true)}>
          {t("reopen")}
        </button>
      )}
      {canReopen && m.can_reopen && reopening && (
        <form
          className="space-y-2"
          onSubmit={(e) => {
            e.preventDefault();
            action.mutate({ kind: "reopen", reason }, { onSuccess: () => setReopening(false) });
          }}
        >
          <label htmlFor="reopen-reason" className="block text-sm text-slate-700">
            {t("reopenReason")}
          </label>
          <textarea
            id="reopen-reason"
            required
            maxLength={500}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            className="w-full rounded border border-slate-300 px-3 py-2 text-base focus:outline-2 focus:outline-brand-600"
          />
          <div className="flex flex-wrap gap-3">
            <button type="submit" className={buttonClass} disabled={action.isPending || reason.trim() === ""}>
              {t("reopenConfirm")}
            </button>
            <button type="button" className={secondaryButtonClass} onClick={() => setReopening(false)}>
              {common("cancel")}
            </button>
          </div>
        </form>
      )}
      {m.state === "posted" && m.can_reopen && !canReopen && <RoleNote check={reopen} what="reopen" />}
      {action.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {actionError.form}
        </p>
      )}

      {m.events.length > 0 && (
        <ul className="space-y-1 text-sm text-slate-700" aria-label={t("history")}>
          {m.events.map((e) => (
            <li key={`${e.action}-${e.at}`}>
              {t(`event.${e.action}`, { at: dates.dateTime(e.at), who: e.phone ?? "—", reason: e.reason ?? "" })}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
