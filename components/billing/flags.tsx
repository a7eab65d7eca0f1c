"use client";

import { useTranslations } from "next-intl";
import type { BillingFlag } from "@/lib/constants";

/** Billing flags (a missing or lower reading) as highlighted badges. */
export function FlagList({ flags }: { flags: BillingFlag[] }) {
  const t = useTranslations("common.flags");
  if (flags.length === 0) return null;
  return (
    <ul className="inline-flex flex-wrap gap-1">
      {flags.map((flag) => (
        <li key={flag} className="rounded bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900">
          {t(flag)}
        </li>
      ))}
    </ul>
  );
}
