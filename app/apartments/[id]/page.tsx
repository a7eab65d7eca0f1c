import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ApartmentView } from "@/components/apartment/apartment-view";
import { apartmentKeys, meterKeys } from "@/components/apartment/queries";
import { houseKeys } from "@/components/houses/queries";
import { settingsKeys } from "@/components/settings/queries";
import { readRequisites } from "@/lib/registry/requisites";
import { pageId, Prefetched } from "@/app/_lib/prefetched";
import { listApartmentInvoices } from "@/lib/billing/invoices";
import { getApartment } from "@/lib/registry/apartments";
import { getHouseSummary } from "@/lib/registry/houses";
import { listReadings } from "@/lib/registry/readings";
import { ROLES } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("apartment");
  return { title: `${t("metaTitle")} — Kvartplata` };
}

// The first screen comes with its data: the apartment and its invoices side by side, then its
// meters' histories (a wait on the server, next to the database, instead of in the browser).
export default async function ApartmentPage({ params }: { params: Promise<{ id: string }> }) {
  const id = pageId((await params).id);
  return (
    <Prefetched
      roles={ROLES.readBilling}
      prefetch={async (client, db, scope) => {
        const [apartment] = await Promise.all([
          // Not found or failing: the client's query asks again and shows the server's message.
          getApartment(db, scope, id).catch(() => null),
          client.prefetchQuery({ queryKey: apartmentKeys.invoices(id), queryFn: () => listApartmentInvoices(db, scope, id) }),
        ]);
        if (!apartment) return;
        client.setQueryData(apartmentKeys.detail(id), apartment);
        await Promise.all([
          // the house, then its workspace's requisites (whether payment documents can be made)
          client
            .fetchQuery({ queryKey: houseKeys.summary(apartment.house_id), queryFn: () => getHouseSummary(db, scope, apartment.house_id) })
            .then((house) =>
              client.prefetchQuery({
                queryKey: settingsKeys.requisites(house.workspace_id),
                queryFn: () => readRequisites(db, scope, house.workspace_id),
              }),
            )
            .catch(() => undefined),
          ...apartment.meters.map((m) =>
            client.prefetchQuery({ queryKey: meterKeys.readings(m.id), queryFn: () => listReadings(db, scope, m.id) }),
          ),
        ]);
      }}
    >
      <ApartmentView id={id} />
    </Prefetched>
  );
}
