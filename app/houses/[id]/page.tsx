import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { HouseDetailView } from "@/components/house/house-detail";
import { houseDetailKeys } from "@/components/house/queries";
import { getDb } from "@/db/client";
import { pageActor } from "@/lib/auth/server-session";
import { listHouseBillingRuns } from "@/lib/billing/runs";
import { getHouseDetail } from "@/lib/registry/houses";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("house");
  return { title: `${t("metaTitle")} — Kvartplata` };
}

// The first screen comes with its data (the functions the API calls, run during the render);
// a failure is left to the client's query, which shows the server's message.
export default async function HousePage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  if (!/^[1-9]\d{0,9}$/.test(raw)) notFound();
  const id = Number(raw);
  const client = new QueryClient();
  const actor = await pageActor();
  if (actor) {
    await Promise.all([
      client.prefetchQuery({ queryKey: houseDetailKeys.detail(id), queryFn: () => getHouseDetail(getDb(), actor.scope, id) }),
      client.prefetchQuery({ queryKey: houseDetailKeys.billingRuns(id), queryFn: () => listHouseBillingRuns(getDb(), actor.scope, id) }),
    ]);
  }
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <HouseDetailView id={id} />
    </HydrationBoundary>
  );
}
