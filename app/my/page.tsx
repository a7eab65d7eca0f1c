import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { redirect } from "next/navigation";
import { MyApartmentsView } from "@/components/residents/my-apartments";
import { getDb } from "@/db/client";
import { residentApartments } from "@/db/queries/residents";
import { pageActor } from "@/app/_lib/session";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("residents");
  return { title: `${t("listTitle")} — Kvartplata` };
}

// A resident's apartments; one apartment (the usual case) opens straight on its readings form.
export default async function MyPage() {
  const actor = await pageActor();
  if (actor?.personId) {
    const apartments = await residentApartments(getDb(), actor.personId);
    if (apartments.length === 1) redirect(`/my/apartments/${apartments[0].apartmentId}`);
  }
  return <MyApartmentsView />;
}
