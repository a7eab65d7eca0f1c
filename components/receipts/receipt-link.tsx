"use client";

import { useTranslations } from "next-intl";
import { receiptUrl } from "./queries";

/**
 * An apartment's payment document of a month: a plain download link (the session cookie
 * authenticates it). A month not posted yet gives a draft, and the link says so.
 */
export function ReceiptLink({
  apartmentId,
  period,
  monthName,
  draft,
}: {
  apartmentId: number;
  period: string;
  monthName: string;
  draft: boolean;
}) {
  const t = useTranslations("receipts");
  const text = t(draft ? "apartment.linkDraft" : "apartment.link");
  return (
    <a
      href={receiptUrl(apartmentId, period)}
      download
      type="application/pdf"
      // the visible words first (what is said is what is heard), then which month
      aria-label={t("apartment.linkLabel", { text, month: monthName })}
      className="font-medium whitespace-nowrap text-brand-700 underline"
    >
      {text}
    </a>
  );
}
