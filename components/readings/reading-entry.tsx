"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTimeZone, useTranslations } from "next-intl";
import { useCallback, useState } from "react";
import { currentMonth } from "@/lib/months";
import { useErrorTexts } from "../ui/errors";
import { MonthName } from "../ui/month";
import { PeriodPicker } from "./period-picker";
import { useReadingSheet } from "./queries";
import { ReadingSheet } from "./reading-sheet";
import { useLeaveGuard } from "./use-leave-guard";

/** The reading-entry page: a month picker and the house's sheet for that month. */
export function ReadingEntry({ houseId, period: requested }: { houseId: number; period?: string }) {
  const t = useTranslations("readings");
  const common = useTranslations("common");
  const router = useRouter();
  const today = currentMonth(useTimeZone() ?? "Europe/Moscow");
  const period = requested ?? today;
  const sheet = useReadingSheet(houseId, period);
  const errors = useErrorTexts();
  const [dirty, setDirty] = useState(false);
  useLeaveGuard(dirty, t("leaveWarning"));

  const changePeriod = (month: string) => {
    if (dirty && !window.confirm(t("leaveWarning"))) return false;
    setDirty(false);
    router.push(`/houses/${houseId}/readings?period=${month}`);
    return true;
  };
  const onDirtyChange = useCallback((value: boolean) => setDirty(value), []);

  return (
    <section aria-labelledby="readings-heading" className="space-y-4">
      <Link href={`/houses/${houseId}`} className="text-sm text-brand-700 hover:underline">
        ← {t("backToHouse")}
      </Link>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 id="readings-heading" className="text-2xl font-semibold">
            {t("title")}
            {/^\d{4}-\d{2}$/.test(period) && (
              <>
                {" · "}
                <MonthName month={period} />
              </>
            )}
          </h1>
          {sheet.data && <p className="text-slate-700">{sheet.data.address}</p>}
        </div>
        <PeriodPicker value={period} max={today} onChange={changePeriod} />
      </div>

      {sheet.isPending && <p role="status">{common("loading")}</p>}
      {sheet.isError && (
        <div role="alert" className="flex flex-wrap items-center gap-3 rounded bg-red-50 p-3 text-red-800">
          <span>{t("loadFailed", { message: errors.message(sheet.error) })}</span>
          <button type="button" className="underline" onClick={() => void sheet.refetch()}>
            {common("retry")}
          </button>
        </div>
      )}
      {sheet.isSuccess && <ReadingSheet key={period} sheet={sheet.data} onDirtyChange={onDirtyChange} />}
    </section>
  );
}
