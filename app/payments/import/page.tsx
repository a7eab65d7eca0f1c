import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { Prefetched } from "@/app/_lib/prefetched";
import { PaymentImportView } from "@/components/payments/import-view";
import { ROLES } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations("payments");
  return { title: `${t("title")} — Kvartplata` };
}

// Import of bank payment registries: upload, map, preview, confirm (the person's workspaces come prefetched).
export default function PaymentImportPage() {
  return (
    <Prefetched roles={ROLES.readBilling} prefetch={async () => undefined}>
      <PaymentImportView />
    </Prefetched>
  );
}
