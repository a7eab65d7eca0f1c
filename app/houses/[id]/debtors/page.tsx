import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { houseKeys } from "@/components/houses/queries";
import { DebtorsView } from "@/components/ledger/debtors-view";
import { ledgerKeys } from "@/components/ledger/queries";
import { pageId, Prefetched } from "@/app/_lib/prefetched";
import { ROLES } from "@/lib/auth/roles";
import { listDebtors } from "@/lib/ledger/debtors";
import { getHouseSummary } from "@/lib/registry/houses";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("ledger.debtors");
  return { title: `${t("metaTitle")} — Kvartplata` };
}

// A house's debtors as of today, with the house for the title.
export default async function HouseDebtorsPage({ params }: { params: Promise<{ id: string }> }) {
  const id = pageId((await params).id);
  return (
    <Prefetched
      roles={ROLES.readBilling}
      prefetch={(client, db, scope) =>
        Promise.all([
          client.prefetchQuery({ queryKey: houseKeys.summary(id), queryFn: () => getHouseSummary(db, scope, id) }),
          client.prefetchQuery({ queryKey: ledgerKeys.houseDebtors(id, null), queryFn: () => listDebtors(db, scope, { houseId: id }) }),
        ])
      }
    >
      <DebtorsView houseId={id} />
    </Prefetched>
  );
}
