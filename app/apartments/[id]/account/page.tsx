import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { apartmentKeys } from "@/components/apartment/queries";
import { houseKeys } from "@/components/houses/queries";
import { AccountView } from "@/components/ledger/account-view";
import { ledgerKeys } from "@/components/ledger/queries";
import { pageId, Prefetched } from "@/app/_lib/prefetched";
import { ROLES } from "@/lib/auth/roles";
import { getApartmentAccount } from "@/lib/ledger/get-account";
import { getApartment } from "@/lib/registry/apartments";
import { getHouseSummary } from "@/lib/registry/houses";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("ledger.account");
  return { title: `${t("metaTitle")} — Kvartplata` };
}

// The apartment's account as of today, with the apartment and its house for the breadcrumbs.
export default async function ApartmentAccountPage({ params }: { params: Promise<{ id: string }> }) {
  const id = pageId((await params).id);
  return (
    <Prefetched
      roles={ROLES.readBilling}
      prefetch={async (client, db, scope) => {
        // Not found or failing: the client's query asks again and shows the server's message.
        const [apartment] = await Promise.all([
          getApartment(db, scope, id).catch(() => null),
          client.prefetchQuery({ queryKey: ledgerKeys.account(id, null), queryFn: () => getApartmentAccount(db, scope, id) }),
        ]);
        if (!apartment) return;
        client.setQueryData(apartmentKeys.detail(id), apartment);
        await client.prefetchQuery({
          queryKey: houseKeys.summary(apartment.house_id),
          queryFn: () => getHouseSummary(db, scope, apartment.house_id),
        });
      }}
    >
      <AccountView id={id} />
    </Prefetched>
  );
}
