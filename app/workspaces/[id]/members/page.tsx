import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { MembersView } from "@/components/members/members-view";
import { memberKeys } from "@/components/members/queries";
import { pageId, Prefetched } from "@/app/_lib/prefetched";
import { listMembers } from "@/lib/auth/members";
import { ROLES } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("members");
  return { title: `${t("title")} — Kvartplata` };
}

export default async function MembersPage({ params }: { params: Promise<{ id: string }> }) {
  const id = pageId((await params).id);
  return (
    <Prefetched
      roles={ROLES.owner}
      prefetch={(client, db, scope) => client.prefetchQuery({ queryKey: memberKeys.list(id), queryFn: () => listMembers(db, scope, id) })}
    >
      <MembersView workspaceId={id} />
    </Prefetched>
  );
}
