import { connection } from "next/server";
import { getTranslations } from "next-intl/server";
import { TariffsView } from "@/components/tariffs/tariffs-view";
import { env } from "@/lib/env";
import { currentMonth } from "@/lib/months";

export async function generateMetadata() {
  const t = await getTranslations("tariffs");
  return { title: `${t("title")} — Kvartplata` };
}

export default async function TariffsPage() {
  await connection();
  // "This month" is the server's (APP_TIMEZONE): the month the prices in force are judged by.
  return <TariffsView currentMonth={currentMonth(env().APP_TIMEZONE)} />;
}
