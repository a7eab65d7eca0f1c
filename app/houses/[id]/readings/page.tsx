import { getTranslations } from "next-intl/server";
import { packSheet } from "@/components/readings/packed";
import { readingKeys } from "@/components/readings/queries";
import { ReadingEntry } from "@/components/readings/reading-entry";
import { pageId, Prefetched } from "@/app/_lib/prefetched";
import { env } from "@/lib/env";
import { currentMonth, judgeMonth } from "@/lib/months";
import { getReadingSheet } from "@/lib/registry/reading-sheet";
import { ROLES } from "@/lib/auth/roles";
import { houseKeys } from "@/components/houses/queries";
import { getHouseSummary } from "@/lib/registry/houses";

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
// the client's request, which says what went wrong. A month not yet come, or not a month, is
// explained by the page instead of asked for.
export default async function ReadingsPage({ params, searchParams }: Props) {
  const id = pageId((await params).id);
  const { period: raw, filter } = await searchParams;
  // "Now" is the server's month (APP_TIMEZONE), the one the API judges future months by.
  const now = currentMonth(env().APP_TIMEZONE);
  const choice =
    typeof raw === "string" ? judgeMonth(raw, now) : raw === undefined ? { kind: "ok" as const, month: now } : judgeMonth("", now);
  return (
    <Prefetched
      roles={ROLES.read}
      prefetch={async (client, db, scope) => {
        // The summary names the house's workspace: the person's role there decides whether the sheet can be saved.
        await client.prefetchQuery({ queryKey: houseKeys.summary(id), queryFn: () => getHouseSummary(db, scope, id) });
        if (choice.kind !== "ok") return;
        // Packed: the same data without its keys spelled out per meter (the page's HTML carries it).
        await client.prefetchQuery({
          queryKey: readingKeys.packed(id, choice.month),
          queryFn: async () => packSheet(await getReadingSheet(db, scope, id, choice.month)),
        });
      }}
    >
      <ReadingEntry houseId={id} choice={choice} currentMonth={now} missingFirst={filter === "missing"} />
    </Prefetched>
  );
}
