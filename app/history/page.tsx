import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { HistoryView } from "@/components/history/history-view";
import { historyKeys, historyPages } from "@/components/history/queries";
import { Prefetched } from "@/app/_lib/prefetched";
import { ROLES } from "@/lib/auth/roles";
import { listWorkspaceHistory } from "@/lib/history/list-history";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("history");
  return { title: `${t("metaTitle")} — Kvartplata` };
}

// The workspace's history, its first page (no filter) rendered with the page.
export default async function HistoryPage() {
  return (
    <Prefetched
      roles={ROLES.readBilling}
      prefetch={(client, db, scope) =>
        client.prefetchInfiniteQuery({
          queryKey: historyKeys.workspace({}),
          queryFn: () => listWorkspaceHistory(db, scope, { limit: 50 }),
          ...historyPages,
        })
      }
    >
      <HistoryView />
    </Prefetched>
  );
}
