import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { BillingSettingsView } from "@/components/settings/billing-settings-view";
import { settingsKeys } from "@/components/settings/queries";
import { pageId, Prefetched } from "@/app/_lib/prefetched";
import { ROLES } from "@/lib/auth/roles";
import { getBillingSettings, listKeyRates } from "@/lib/registry/billing-settings";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("settings");
  return { title: `${t("title")} — Kvartplata` };
}

export default async function BillingSettingsPage({ params }: { params: Promise<{ id: string }> }) {
  const id = pageId((await params).id);
  return (
    <Prefetched
      roles={ROLES.readBilling}
      prefetch={(client, db, scope) =>
        Promise.all([
          client.prefetchQuery({ queryKey: settingsKeys.billing(id), queryFn: () => getBillingSettings(db, scope, id) }),
          client.prefetchQuery({ queryKey: settingsKeys.keyRates(id), queryFn: () => listKeyRates(db, scope, id) }),
        ])
      }
    >
      <BillingSettingsView workspaceId={id} />
    </Prefetched>
  );
}
