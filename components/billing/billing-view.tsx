"use client";

import { useLocale, useTranslations } from "next-intl";
import { useEffect, useRef, useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { apartmentKeys } from "../apartment/queries";
import { houseKeys, useHouseSummary } from "../houses/queries";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { useApiError, useErrorTexts } from "../ui/errors";
import { buttonClass, secondaryButtonClass } from "../ui/field";
import { MonthName } from "../ui/month";
import { BillingCheckPanel } from "./billing-check";
import { ConfirmRerun } from "./confirm-rerun";
import { RoleNote, useCan, type RoleCheck } from "../accounts/roles";
import { ROLES } from "@/lib/auth/roles";
import { InvoiceTable } from "./invoice-table";
import { MonthPanel } from "./month-panel";
import {
  billingKeys,
  csvUrl,
  isActive,
  useBillingRun,
  useBillingRuns,
  useHouseInvoiceSummaries,
  useHouseMonth,
  useStartBillingRun,
} from "./queries";
import { RunProgress } from "./run-progress";
import { HouseReceipts } from "../receipts/house-receipts";
import { MonthProblem } from "../ui/month-problem";
import { addMonths, type MonthChoice } from "@/lib/months";

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface BillingViewProps {
  houseId: number;
  /** the month in the address (else the previous month), as judged by the server */
  choice: MonthChoice;
  /** the latest month that may be billed (the server's current month) */
  currentMonth: string;
}

/**
 * Billing is seen by an owner, an accountant and a viewer, started and posted by the first two;
 * an operator sees a note instead of the page's refusals.
 */
export function BillingView(props: BillingViewProps) {
  const t = useTranslations("billing");
  const common = useTranslations("common");
  const house = useHouseSummary(props.houseId);
  const read = useCan(ROLES.readBilling, house.data?.workspace_id);
  const manage = useCan(ROLES.manage, house.data?.workspace_id);
  const owner = useCan(ROLES.owner, house.data?.workspace_id);
  // Until the role is known (the first screen brings it where billing may be seen), nothing is
  // asked for: an operator's requests would only be refused.
  if (!read.known && !house.isError) return <p role="status">{common("loading")}</p>;
  if (!read.allowed)
    return (
      <div className="space-y-3">
        <Breadcrumbs
          items={[
            { label: common("crumbs.houses"), href: "/houses" },
            { label: house.data?.address ?? "…", href: `/houses/${props.houseId}` },
            { label: common("crumbs.billing") },
          ]}
        />
        <h1 className="text-2xl font-semibold">{t("title")}</h1>
        <RoleNote check={read} what="billing" />
      </div>
    );
  return <BillingContent {...props} manage={manage} owner={owner} />;
}

function BillingContent({ houseId, choice, currentMonth, manage, owner }: BillingViewProps & { manage: RoleCheck; owner: RoleCheck }) {
  const t = useTranslations("billing");
  const common = useTranslations("common");
  const locale = useLocale();
  const client = useQueryClient();
  const initialPeriod = choice.kind === "ok" ? choice.month : addMonths(currentMonth, -1);

  const [period, setPeriod] = useState(initialPeriod);
  const [draft, setDraft] = useState(initialPeriod);
  /** the run this page started or joined, per month */
  const [started, setStarted] = useState<{ period: string; id: number; joined: boolean } | null>(null);
  const [confirming, setConfirming] = useState(false);

  const house = useHouseSummary(houseId);
  const runs = useBillingRuns(houseId);
  const invoices = useHouseInvoiceSummaries(houseId, choice.kind === "ok" ? period : undefined);
  const start = useStartBillingRun(houseId);
  const month = useHouseMonth(houseId, choice.kind === "ok" ? period : undefined);
  // a posted month (or one before a posted month) is never billed again
  const closed = month.data?.closed === true;
  const errors = useErrorTexts();
  const startError = useApiError(start.error);

  // The run to show: the one started here, else the month's latest (it may be under way from
  // another tab, or have failed with a reason worth reading). Only a moving run is polled.
  const latest = runs.data?.items.find((r) => r.period === period);
  const pollId = started?.period === period ? started.id : isActive(latest) ? latest?.id : undefined;
  const run = useBillingRun(pollId);
  const shown = (pollId !== undefined ? run.data : undefined) ?? latest;
  const active = isActive(shown);

  // A run seen moving that has stopped: the month's invoices, the house's runs and the houses'
  // "last billed" have changed.
  const moving = useRef(new Set<number>());
  useEffect(() => {
    if (!shown) return;
    if (isActive(shown)) {
      moving.current.add(shown.id);
    } else if (moving.current.delete(shown.id)) {
      void client.invalidateQueries({ queryKey: billingKeys.invoices(houseId, shown.period) });
      void client.invalidateQueries({ queryKey: billingKeys.runs(houseId) });
      void client.invalidateQueries({ queryKey: houseKeys.all });
      // an opened row's lines come from its apartment's invoices
      void client.invalidateQueries({ queryKey: apartmentKeys.all });
    }
  }, [shown, client, houseId]);

  const choose = (month: string) => {
    setDraft(month);
    if (!MONTH.test(month) || month === period) return;
    setPeriod(month);
    start.reset();
    // The month stays in the address (reload, bookmark) without a round trip to the server.
    window.history.replaceState(null, "", `?period=${month}`);
  };

  const billed = invoices.data?.items.length ?? 0;
  const go = () => {
    setConfirming(false);
    const known = new Set(runs.data?.items.map((r) => r.id));
    start.mutate(period, {
      onSuccess: (r) => {
        moving.current.add(r.id);
        setStarted({ period, id: r.id, joined: known.has(r.id) && isActive(r) });
      },
    });
  };
  const ask = () => (billed > 0 ? setConfirming(true) : go());

  const future = draft > currentMonth;
  const header = (
    <div className="space-y-1">
      <Breadcrumbs
        items={[
          { label: common("crumbs.houses"), href: "/houses" },
          { label: house.data?.address ?? "…", href: `/houses/${houseId}` },
          { label: common("crumbs.billing") },
        ]}
      />
      <h1 className="text-2xl font-semibold">{t("title")}</h1>
      {house.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {common("loadFailed", { message: errors.message(house.error) })}
        </p>
      )}
    </div>
  );
  if (choice.kind !== "ok")
    return (
      <div className="space-y-6">
        {header}
        <MonthProblem choice={choice} back={{ href: `/houses/${houseId}/billing?period=${initialPeriod}`, month: initialPeriod }} />
      </div>
    );
  return (
    <div className="space-y-6">
      {header}

      <section className="flex flex-wrap items-end gap-3 rounded-lg bg-white p-4 shadow-sm">
        <div className="flex flex-col text-sm">
          <label htmlFor="billing-period" className="mb-1 text-slate-700">
            {t("period")}
          </label>
          <input
            id="billing-period"
            type="month"
            // Uncontrolled: a controlled month input would wipe a half-typed month.
            defaultValue={initialPeriod}
            max={currentMonth}
            required
            aria-invalid={future || undefined}
            aria-describedby={future ? "billing-period-error" : undefined}
            onChange={(e) => choose(e.target.value)}
            className="rounded border border-slate-300 px-3 py-2 text-base focus:outline-2 focus:outline-brand-600 aria-[invalid=true]:border-red-600"
          />
        </div>
        {manage.allowed && (
          <button
            type="button"
            className={buttonClass}
            onClick={ask}
            disabled={!invoices.isSuccess || active || start.isPending || future || closed}
          >
            {active ? t("running") : billed > 0 ? t("recalculate") : t("start")}
          </button>
        )}
        {billed > 0 && (
          <a
            href={csvUrl(houseId, period, locale)}
            download
            className="rounded border border-slate-300 bg-white px-4 py-2 font-medium text-slate-800 hover:bg-slate-50 focus:outline-2 focus:outline-offset-2 focus:outline-brand-600"
          >
            {t("downloadCsv")}
          </a>
        )}
        {closed && <p className="basis-full text-sm text-slate-700">{t("closedMonth")}</p>}
        <div className="basis-full empty:hidden">
          <RoleNote check={manage} what="billing" />
        </div>
        {future && (
          <p id="billing-period-error" role="alert" className="basis-full text-sm text-red-700">
            {t("futureMonth")}
          </p>
        )}
      </section>

      {!future && MONTH.test(draft) && !closed && <BillingCheckPanel houseId={houseId} period={period} />}
      {!future && MONTH.test(draft) && <MonthPanel houseId={houseId} period={period} canPost={manage.allowed} reopen={owner} />}

      {start.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {t("startFailed", { message: startError.form ?? "" })}
        </p>
      )}
      {runs.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {common("loadFailed", { message: errors.message(runs.error) })}
        </p>
      )}
      {run.isError && (
        <p role="alert" className="rounded bg-red-50 p-3 text-red-800">
          {common("loadFailed", { message: errors.message(run.error) })}
        </p>
      )}
      {shown && <RunProgress run={shown} joined={started?.id === shown.id && started.joined} />}

      {billed > 0 && !active && !future && <HouseReceipts houseId={houseId} workspaceId={house.data?.workspace_id} period={period} />}

      <section aria-labelledby="invoices-heading" className="space-y-3">
        <h2 id="invoices-heading" className="text-xl font-semibold">
          {t.rich("invoices.heading", { month: () => <MonthName month={period} /> })}
        </h2>
        {active && <p className="text-sm text-slate-700">{t("invoices.updating")}</p>}
        {invoices.isPending && <p role="status">{common("loading")}</p>}
        {invoices.isError && (
          <div role="alert" className="flex flex-wrap items-center gap-3 rounded bg-red-50 p-3 text-red-800">
            <span>{common("loadFailed", { message: errors.message(invoices.error) })}</span>
            <button type="button" className={secondaryButtonClass} onClick={() => invoices.refetch()}>
              {common("retry")}
            </button>
          </div>
        )}
        {invoices.isSuccess &&
          (billed === 0 ? <p className="text-slate-600">{t("invoices.empty")}</p> : <InvoiceTable data={invoices.data} />)}
      </section>

      <ConfirmRerun open={confirming} period={period} invoices={billed} onConfirm={go} onClose={() => setConfirming(false)} />
    </div>
  );
}
