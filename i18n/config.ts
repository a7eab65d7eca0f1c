export const LOCALES = ["ru", "en"] as const;
export type Locale = (typeof LOCALES)[number];
const DEFAULT_LOCALE: Locale = "ru";
export const LOCALE_COOKIE = "NEXT_LOCALE";

/**
 * Message files, one per feature (messages/<locale>/<feature>.json), each a namespace:
 * useTranslations("billing") reads messages/<locale>/billing.json.
 */
export const NAMESPACES = [
  "common",
  "houses",
  "accounts",
  "house",
  "apartment",
  "readings",
  "tariffs",
  "billing",
  "board",
  "members",
  "history",
  "payments",
  "settings",
  "ledger",
  "receipts",
  "residents",
  "errors",
] as const;

function isLocale(value: string | undefined | null): value is Locale {
  return LOCALES.includes(value as Locale);
}

/** The person's choice (cookie), else the browser's preference among ours, else Russian. */
export function pickLocale(cookie: string | undefined, acceptLanguage: string | null): Locale {
  if (isLocale(cookie)) return cookie;
  const wanted = (acceptLanguage ?? "")
    .split(",")
    .map((part) => {
      const [tag, ...params] = part.trim().split(";");
      const q = Number(params.find((p) => p.trim().startsWith("q="))?.split("=")[1] ?? 1);
      return { language: tag.toLowerCase().split("-")[0], q: Number.isFinite(q) ? q : 0 };
    })
    .filter((w) => w.language && w.q > 0)
    .sort((a, b) => b.q - a.q);
  return wanted.map((w) => w.language).find(isLocale) ?? DEFAULT_LOCALE;
}
