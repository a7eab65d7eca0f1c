import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { HouseDetailView } from "@/components/house/house-detail";
import { packHouse } from "@/components/house/packed";
import { houseDetailKeys } from "@/components/house/queries";
import { pageId, Prefetched } from "@/app/_lib/prefetched";
import { listHouseBillingRuns } from "@/lib/billing/runs";
import { ledgerKeys } from "@/components/ledger/queries";
import { listDebtors } from "@/lib/ledger/debtors";
import { getHouseDetail } from "@/lib/registry/houses";
import { ROLES } from "@/lib/auth/roles";
import { narrowScope, type Scope } from "@/lib/auth/scope";

const billingScope = (scope: Scope) => narrowScope(scope, ROLES.readBilling);

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("house");
  return { title: `${t("metaTitle")} — Kvartplata` };
}

export default async function HousePage({ params }: { params: Promise<{ id: string }> }) {
  const id = pageId((await params).id);
  return (
    <Prefetched
      roles={ROLES.read}
      prefetch={(client, db, scope) =>
        Promise.all([
          // Packed: the same data without its keys spelled out per apartment (the page's HTML carries it).
          client.prefetchQuery({
            queryKey: houseDetailKeys.packed(id),
            queryFn: async () => packHouse(await getHouseDetail(db, scope, id)),
          }),
          // The runs are billing's: only where the role may see billing (an operator's page has none).
          billingScope(scope) &&
            client.prefetchQuery({
              queryKey: houseDetailKeys.billingRuns(id),
              queryFn: () => listHouseBillingRuns(db, billingScope(scope)!, id),
            }),
          // the house's debt today (its card on the page), billing's too
          billingScope(scope) &&
            client.prefetchQuery({
              queryKey: ledgerKeys.houseDebtors(id, null),
              queryFn: () => listDebtors(db, billingScope(scope)!, { houseId: id }),
            }),
        ])
      }
    >
      <HouseDetailView id={id} />
    </Prefetched>
  );
}
