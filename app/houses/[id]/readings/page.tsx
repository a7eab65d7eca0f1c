import { getTranslations } from "next-intl/server";
import { readingKeys } from "@/components/readings/queries";
import { ReadingEntry } from "@/components/readings/reading-entry";
import { pageId, Prefetched } from "@/app/_lib/prefetched";
import { env } from "@/lib/env";
import { currentMonth } from "@/lib/months";
import { getReadingSheet } from "@/lib/registry/reading-sheet";
import { readingSheetQuery } from "@/lib/schemas/reading-sheet";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("readings");
  return { title: `${t("title")} — Kvartplata` };
}

interface Props {
  params: Promise<{ id: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

// The sheet comes with the first screen (the same function the API calls); a failure is left to
// the client's request, which shows the server's message.
export default async function ReadingsPage({ params, searchParams }: Props) {
  const id = pageId((await params).id);
  const raw = (await searchParams).period;
  const period = typeof raw === "string" ? raw : undefined;
  const query = readingSheetQuery.safeParse({ period });
  return (
    <Prefetched
      prefetch={async (client, db, scope) => {
        if (!query.success) return;
        const month = query.data.period ?? currentMonth(env().APP_TIMEZONE);
        await client.prefetchQuery({ queryKey: readingKeys.sheet(id, month), queryFn: () => getReadingSheet(db, scope, id, month) });
      }}
    >
      <ReadingEntry houseId={id} period={period} />
    </Prefetched>
  );
}
