"use client";

import { useTranslations } from "next-intl";
import type { ReadingOriginView } from "@/lib/schemas/responses";

/**
 * Where a stored reading came from and who sent it: "sent by the resident · +79…", "imported
 * from a file · № 12", "via the API · key name", "typed by staff · +79…". The readings sheet,
 * the apartment page and the resident's own page show it the same way.
 */
export function ReadingSource({
  origin,
  className = "",
  whoOnWide = false,
}: {
  origin: ReadingOriginView;
  className?: string;
  /** the sender's phone or key only on screens wider than a phone (a narrow table has no room for it) */
  whoOnWide?: boolean;
}) {
  const t = useTranslations("readings.source");
  const { sent_by: by } = origin;
  const who =
    origin.source === "import"
      ? by.import_id !== null
        ? `№ ${by.import_id}`
        : null
      : origin.source === "api"
        ? (by.api_key_name ?? (by.api_key_id !== null ? `#${by.api_key_id}` : null))
        : by.phone;
  return (
    <span data-source={origin.source} className={`text-xs text-slate-600 ${className}`}>
      {t(origin.source)}
      {who !== null && <span className={whoOnWide ? "max-sm:hidden" : undefined}>{` · ${who}`}</span>}
    </span>
  );
}
