import { getTranslations } from "next-intl/server";
import { BillingView } from "@/components/billing/billing-view";
import { billingKeys } from "@/components/billing/queries";
import { houseKeys } from "@/components/houses/queries";
import { receiptKeys } from "@/components/receipts/queries";
import { settingsKeys } from "@/components/settings/queries";
import { listReceiptBatches } from "@/lib/receipts/batches";
import { readRequisites } from "@/lib/registry/requisites";
import { pageId, Prefetched } from "@/app/_lib/prefetched";
import { listHouseInvoiceSummaries } from "@/lib/billing/invoices";
import { listHouseBillingRuns } from "@/lib/billing/runs";
import { env } from "@/lib/env";
import { addMonths, currentMonth, judgeMonth } from "@/lib/months";
import { getHouseSummary } from "@/lib/registry/houses";
import { ROLES } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("billing");
  return { title: `${t("title")} — Kvartplata` };
}

export default async function BillingPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ period?: string | string[] }>;
}) {
  const id = pageId((await params).id);
  const { period } = await searchParams;
  // "Now" is the server's month (APP_TIMEZONE), the one the API judges future months by.
  const now = currentMonth(env().APP_TIMEZONE);
  const choice = period === undefined ? { kind: "ok" as const, month: addMonths(now, -1) } : judgeMonth(String(period), now);
  // The house's name, its runs and the month's invoices without their lines come with the page
  // (the first screen of the list is in the HTML: fetched after hydration it was the page's last
  // half-second); an opened invoice's lines load in the browser.
  return (
    <Prefetched
      roles={ROLES.readBilling}
      prefetch={(client, db, scope) =>
        Promise.all([
          // the house, then its workspace's requisites (whether payment documents can be made)
          client
            .fetchQuery({ queryKey: houseKeys.summary(id), queryFn: () => getHouseSummary(db, scope, id) })
            .then((house) =>
              client.prefetchQuery({
                queryKey: settingsKeys.requisites(house.workspace_id),
                queryFn: () => readRequisites(db, scope, house.workspace_id),
              }),
            )
            // Not found or failing: the client's query asks again and shows the server's message.
            .catch(() => undefined),
          client.prefetchQuery({ queryKey: billingKeys.runs(id), queryFn: () => listHouseBillingRuns(db, scope, id) }),
          choice.kind === "ok" &&
            client.prefetchQuery({
              queryKey: billingKeys.invoiceSummaries(id, choice.month),
              queryFn: () => listHouseInvoiceSummaries(db, scope, id, choice.month),
            }),
          choice.kind === "ok" &&
            client.prefetchQuery({
              queryKey: receiptKeys.batches(id, choice.month),
              queryFn: async () => ({ items: await listReceiptBatches(db, scope, id, choice.month) }),
            }),
        ])
      }
    >
      <BillingView key={id} houseId={id} choice={choice} currentMonth={now} />
    </Prefetched>
  );
}
