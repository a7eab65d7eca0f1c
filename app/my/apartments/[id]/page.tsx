import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { MyApartmentView } from "@/components/residents/my-apartment";
import { pageId } from "@/app/_lib/prefetched";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("residents");
  return { title: `${t("metaTitle")} — Kvartplata` };
}

// One of the resident's apartments: the readings form, history, invoices, balance.
export default async function MyApartmentPage({ params }: { params: Promise<{ id: string }> }) {
  const id = pageId((await params).id);
  return <MyApartmentView id={id} />;
}
