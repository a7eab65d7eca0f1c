"use client";

import { useLocale, useTranslations } from "next-intl";
import { LOCALE_COOKIE, LOCALES } from "@/i18n/config";

export function LanguageSwitch() {
  const t = useTranslations("common.language");
  const locale = useLocale();
  return (
    <label className="flex items-center gap-2 text-sm text-slate-700">
      <span className="sr-only sm:not-sr-only">{t("label")}</span>
      <select
        value={locale}
        onChange={(e) => {
          document.cookie = `${LOCALE_COOKIE}=${e.target.value}; path=/; max-age=31536000; samesite=lax`;
          window.location.reload();
        }}
        className="rounded border border-slate-300 bg-white px-2 py-1 focus:outline-2 focus:outline-brand-600"
      >
        {LOCALES.map((l) => (
          <option key={l} value={l}>
            {t(l)}
          </option>
        ))}
      </select>
    </label>
  );
}
