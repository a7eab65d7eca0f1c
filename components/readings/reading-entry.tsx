"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { useCallback, useRef } from "react";
import type { MonthChoice } from "@/lib/months";
import { useHouseSummary } from "../houses/queries";
import { Breadcrumbs } from "../ui/breadcrumbs";
import { secondaryButtonClass } from "../ui/field";
import { useErrorTexts } from "../ui/errors";
import { MonthHeading } from "../ui/month";
import { MonthProblem } from "../ui/month-problem";
import { PeriodPicker } from "./period-picker";
import { useReadingSheet } from "./queries";
import { ReadingSheet } from "./reading-sheet";
import { RoleNote, useCan } from "../accounts/roles";
import { ROLES } from "@/lib/auth/roles";

/** The reading-entry page: a month picker and the house's sheet for that month. */
export function ReadingEntry({
  houseId,
  choice,
  currentMonth,
  missingFirst = false,
}: {
  houseId: number;
  choice: MonthChoice;
  currentMonth: string;
  /** ?filter=missing: the sheet starts with only the meters without a reading */
  missingFirst?: boolean;
}) {
  const t = useTranslations("readings");
  const common = useTranslations("common");
  const router = useRouter();
  const period = choice.kind === "invalid" ? currentMonth : choice.month;
  const sheet = useReadingSheet(houseId, choice.kind === "ok" ? period : undefined);
  // The summary names the house when there is no sheet (a month that cannot be shown), and its workspace: the role.
  const summary = useHouseSummary(houseId);
  const address = sheet.data?.address ?? summary.data?.address;
  const enter = useCan(ROLES.enterReadings, summary.data?.workspace_id);
  const errors = useErrorTexts();
  // Kept out of state: the first digit typed would otherwise re-render the page around the sheet
  // in the same frame (the sheet guards against leaving on its own).
  const dirty = useRef(false);

  const changePeriod = (month: string) => {
    if (dirty.current && !window.confirm(t("leaveWarning"))) return false;
    dirty.current = false;
    router.push(`/houses/${houseId}/readings?period=${month}`);
    return true;
  };
  const onDirtyChange = useCallback((value: boolean) => {
    dirty.current = value;
  }, []);

  return (
    <section aria-labelledby="readings-heading" className="space-y-4">
      <Breadcrumbs
        items={[
          { label: common("crumbs.houses"), href: "/houses" },
          { label: address ?? "…", href: `/houses/${houseId}` },
          { label: common("crumbs.readings") },
        ]}
      />
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div className="min-w-0">
          <MonthHeading id="readings-heading" title={t("title")} month={choice.kind === "invalid" ? null : period} />
          {address && <p className="break-words text-slate-700">{address}</p>}
        </div>
        <div className="flex flex-wrap items-end gap-3">
          {enter.allowed && (
            <Link prefetch={false} className={secondaryButtonClass} href={`/readings/import?house=${houseId}&period=${period}`}>
              {t("import.link")}
            </Link>
          )}
          {choice.kind === "ok" && <PeriodPicker value={period} max={currentMonth} onChange={changePeriod} />}
        </div>
      </div>

      {choice.kind !== "ok" && (
        <MonthProblem choice={choice} back={{ href: `/houses/${houseId}/readings?period=${currentMonth}`, month: currentMonth }} />
      )}
      {sheet.isLoading && <p role="status">{common("loading")}</p>}
      {sheet.isError && (
        <div role="alert" className="flex flex-wrap items-center gap-3 rounded bg-red-50 p-3 text-red-800">
          <span>{t("loadFailed", { message: errors.message(sheet.error) })}</span>
          <button type="button" className="underline" onClick={() => void sheet.refetch()}>
            {common("retry")}
          </button>
        </div>
      )}
      <RoleNote check={enter} what="readings" />
      {sheet.isSuccess && (
        <ReadingSheet key={period} sheet={sheet.data} onDirtyChange={onDirtyChange} missingFirst={missingFirst} readOnly={!enter.allowed} />
      )}
    </section>
  );
}
