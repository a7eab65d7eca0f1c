import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { RequisitesView } from "@/components/settings/requisites-view";
import { settingsKeys } from "@/components/settings/queries";
import { pageId, Prefetched } from "@/app/_lib/prefetched";
import { ROLES } from "@/lib/auth/roles";
import { readRequisites } from "@/lib/registry/requisites";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("settings.requisites");
  return { title: `${t("title")} — Kvartplata` };
}

export default async function RequisitesPage({ params }: { params: Promise<{ id: string }> }) {
  const id = pageId((await params).id);
  return (
    <Prefetched
      roles={ROLES.readBilling}
      prefetch={(client, db, scope) =>
        client.prefetchQuery({ queryKey: settingsKeys.requisites(id), queryFn: () => readRequisites(db, scope, id) })
      }
    >
      <RequisitesView workspaceId={id} />
    </Prefetched>
  );
}
