import { cookies, headers } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { LOCALE_COOKIE, NAMESPACES, pickLocale } from "./config";

// No locale in the URL: the language comes from the switch (a cookie) or the browser.
export default getRequestConfig(async () => {
  const locale = pickLocale((await cookies()).get(LOCALE_COOKIE)?.value, (await headers()).get("accept-language"));
  const files = await Promise.all(NAMESPACES.map(async (ns) => [ns, (await import(`../messages/${locale}/${ns}.json`)).default] as const));
  return { locale, messages: Object.fromEntries(files), timeZone: process.env.APP_TIMEZONE ?? "Europe/Moscow" };
});
