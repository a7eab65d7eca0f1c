import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { notFound } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { readingKeys } from "@/components/readings/queries";
import { ReadingEntry } from "@/components/readings/reading-entry";
import { getDb } from "@/db/client";
import { pageActor } from "@/lib/auth/server-session";
import { env } from "@/lib/env";
import { currentMonth } from "@/lib/months";
import { getReadingSheet } from "@/lib/registry/reading-sheet";
import { idParam } from "@/lib/schemas/common";
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
  const id = idParam.safeParse((await params).id);
  if (!id.success) notFound();
  const raw = (await searchParams).period;
  const period = typeof raw === "string" ? raw : undefined;

  const client = new QueryClient();
  const query = readingSheetQuery.safeParse({ period });
  const actor = await pageActor();
  if (actor && query.success) {
    const month = query.data.period ?? currentMonth(env().APP_TIMEZONE);
    await client.prefetchQuery({
      queryKey: readingKeys.sheet(id.data, month),
      queryFn: () => getReadingSheet(getDb(), actor.scope, id.data, month),
    });
  }
  return (
    <HydrationBoundary state={dehydrate(client)}>
      <ReadingEntry houseId={id.data} period={period} />
    </HydrationBoundary>
  );
}
