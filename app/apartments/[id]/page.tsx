import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ApartmentView } from "@/components/apartment/apartment-view";
import { apartmentKeys, meterKeys } from "@/components/apartment/queries";
import { getDb } from "@/db/client";
import { pageActor } from "@/lib/auth/server-session";
import { listApartmentInvoices } from "@/lib/billing/invoices";
import { getApartment } from "@/lib/registry/apartments";
import { listReadings } from "@/lib/registry/readings";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("apartment");
  return { title: `${t("metaTitle")} — Kvartplata` };
}

// The first screen comes with its data: the apartment and its invoices side by side, then its
// meters' histories (a wait on the server, next to the database, instead of in the browser).
export default async function ApartmentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = await params;
  if (!/^[1-9]\d{0,9}$/.test(raw)) notFound();
  const id = Number(raw);
  const client = new QueryClient();
  const actor = await pageActor();
  if (actor) {
    const db = getDb();
    const [apartment] = await Promise.all([
      // Not found or failing: the client's query asks again and shows the server's message.
      getApartment(db, actor.scope, id).catch(() => null),
      client.prefetchQuery({ queryKey: apartmentKeys.invoices(id), queryFn: () => listApartmentInvoices(db, actor.scope, id) }),
    ]);
    if (apartment) {
      client.setQueryData(apartmentKeys.detail(id), apartment);
      await Promise.all(
        apartment.meters.map((m) =>
          client.prefetchQuery({ queryKey: meterKeys.readings(m.id), queryFn: () => listReadings(db, actor.scope, m.id) }),
        ),
      );
    }
  }
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <ApartmentView id={id} />
    </HydrationBoundary>
  );
}
