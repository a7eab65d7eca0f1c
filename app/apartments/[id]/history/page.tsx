import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { apartmentKeys } from "@/components/apartment/queries";
import { ApartmentHistoryView } from "@/components/history/apartment-history";
import { historyKeys, historyPages } from "@/components/history/queries";
import { pageId, Prefetched } from "@/app/_lib/prefetched";
import { ROLES } from "@/lib/auth/roles";
import { listApartmentHistory } from "@/lib/history/list-history";
import { getApartment } from "@/lib/registry/apartments";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("history");
  return { title: `${t("metaTitle")} — Kvartplata` };
}

// An apartment's history (its meters and readings included), the first page with the page.
export default async function ApartmentHistoryPage({ params }: { params: Promise<{ id: string }> }) {
  const id = pageId((await params).id);
  return (
    <Prefetched
      roles={ROLES.readBilling}
      prefetch={async (client, db, scope) => {
        // Not found or failing: the client's query asks again and shows the server's message.
        const apartment = await getApartment(db, scope, id).catch(() => null);
        if (apartment) client.setQueryData(apartmentKeys.detail(id), apartment);
        await client.prefetchInfiniteQuery({
          queryKey: historyKeys.apartment(id),
          queryFn: () => listApartmentHistory(db, scope, { apartmentId: id, limit: 50 }),
          ...historyPages,
        });
      }}
    >
      <ApartmentHistoryView id={id} />
    </Prefetched>
  );
}
