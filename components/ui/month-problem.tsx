"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import type { MonthChoice } from "@/lib/months";
import { useDateLabels } from "./dates";

/**
 * A page asked for a month it cannot show: a month not yet come (nothing can be entered or
 * billed for it) or something that is not a month. Says so, and links to a month that works.
 */
export function MonthProblem({ choice, back }: { choice: Exclude<MonthChoice, { kind: "ok" }>; back: { href: string; month: string } }) {
  const t = useTranslations("common.monthProblem");
  const dates = useDateLabels();
  return (
    <div role="alert" className="space-y-2 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950">
      <p className="font-medium">
        {choice.kind === "future" ? t("future", { month: dates.month(choice.month) }) : t("invalid", { raw: choice.raw.slice(0, 40) })}
      </p>
      <p>
        <Link prefetch={false} href={back.href} className="font-medium text-brand-700 underline">
          {t("back", { month: dates.month(back.month) })}
        </Link>
      </p>
    </div>
  );
}
