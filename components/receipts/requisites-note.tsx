"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import type { RequisiteField } from "@/lib/constants";

/**
 * Why no payment document can be made yet (the server would answer 409 requisites_incomplete):
 * the missing requisites by their names on the requisites page, and a link there.
 */
export function RequisitesNote({ workspaceId, missing }: { workspaceId: number; missing: readonly RequisiteField[] }) {
  const t = useTranslations("receipts");
  const fields = useTranslations("settings.requisites.fields");
  return (
    <p className="rounded bg-amber-50 p-3 text-sm text-amber-900" data-testid="receipts-requisites-note">
      {t("requisitesMissing", { fields: missing.map((f) => fields(f)).join(", ") })}{" "}
      <Link prefetch={false} href={`/workspaces/${workspaceId}/requisites`} className="font-medium text-brand-700 underline">
        {t("requisitesLink")}
      </Link>
    </p>
  );
}
