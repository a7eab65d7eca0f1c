import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Prefetched } from "@/app/_lib/prefetched";
import { ReadingImportView } from "@/components/readings/import-view";
import { ROLES } from "@/lib/auth/roles";
import { env } from "@/lib/env";
import { currentMonth, MONTH_PATTERN } from "@/lib/months";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("readings.import");
  return { title: `${t("title")} — Kvartplata` };
}

interface Props {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

// Import of meter readings from a file: upload, map, preview, confirm. ?house= and ?period= come
// from the readings sheet it is opened from (the house for apartment numbers, the month of rows without one).
export default async function ReadingImportPage({ searchParams }: Props) {
  const { house, period } = await searchParams;
  const houseId = typeof house === "string" && /^\d{1,9}$/.test(house) ? Number(house) : null;
  const month = typeof period === "string" && MONTH_PATTERN.test(period) ? period : currentMonth(env().APP_TIMEZONE);
  return (
    <Prefetched roles={ROLES.enterReadings} prefetch={async () => undefined}>
      <ReadingImportView houseId={houseId} month={month} />
    </Prefetched>
  );
}
