import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { PaymentsView } from "@/components/ledger/payments-view";
import { ledgerKeys, PAYMENTS_PAGE, paymentPages } from "@/components/ledger/queries";
import { Prefetched } from "@/app/_lib/prefetched";
import { ROLES } from "@/lib/auth/roles";
import { listPayments } from "@/lib/ledger/payments";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("ledger.payments");
  return { title: `${t("metaTitle")} — Kvartplata` };
}

// The payments of the person's workspaces, the first page (no filter).
export default async function PaymentsPage() {
  return (
    <Prefetched
      roles={ROLES.readBilling}
      // The houses to filter by come with the client's query: the houses page prefetches the same
      // list for every role that reads houses, this one is narrowed to the roles that see billing.
      prefetch={(client, db, scope) =>
        client.prefetchInfiniteQuery({
          queryKey: ledgerKeys.payments({}),
          queryFn: () => listPayments(db, scope, { limit: PAYMENTS_PAGE }),
          ...paymentPages,
        })
      }
    >
      <PaymentsView />
    </Prefetched>
  );
}
