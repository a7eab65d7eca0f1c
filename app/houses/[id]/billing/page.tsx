import { getTranslations } from "next-intl/server";
import { BillingView } from "@/components/billing/billing-view";
import { pageId } from "@/app/_lib/prefetched";
import { env } from "@/lib/env";
import { addMonths, currentMonth, MONTH_PATTERN } from "@/lib/months";

export async function generateMetadata() {
  const t = await getTranslations("billing");
  return { title: `${t("title")} — Kvartplata` };
}

export default async function BillingPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ period?: string | string[] }>;
}) {
  const id = pageId((await params).id);
  const { period } = await searchParams;
  // "Now" is the server's month (APP_TIMEZONE), the one the API judges future months by.
  const now = currentMonth(env().APP_TIMEZONE);
  const requested = typeof period === "string" && MONTH_PATTERN.test(period) ? period : undefined;
  return <BillingView key={id} houseId={id} initialPeriod={requested ?? addMonths(now, -1)} currentMonth={now} />;
}
