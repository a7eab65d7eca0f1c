import { getTranslations } from "next-intl/server";
import { MonthBoardView } from "@/components/board/month-board";
import { boardKeys } from "@/components/board/queries";
import { Prefetched } from "@/app/_lib/prefetched";
import { getMonthBoard } from "@/lib/billing/month-board";
import { env } from "@/lib/env";
import { currentMonth, judgeMonth } from "@/lib/months";
import { ROLES } from "@/lib/auth/roles";

export const dynamic = "force-dynamic";

export async function generateMetadata() {
  const t = await getTranslations("board");
  return { title: `${t("title")} — Kvartplata` };
}

// The month board comes with the first screen (the same function the API calls). A month not
// yet come, or not a month, is explained by the page.
export default async function MonthBoardPage({ params }: { params: Promise<{ period: string }> }) {
  // "Now" is the server's month (APP_TIMEZONE), the one the API judges future months by.
  const now = currentMonth(env().APP_TIMEZONE);
  const choice = judgeMonth(decodeURIComponent((await params).period), now);
  return (
    <Prefetched
      roles={ROLES.read}
      prefetch={async (client, db, scope) => {
        if (choice.kind !== "ok") return;
        await client.prefetchQuery({
          queryKey: boardKeys.month(choice.month),
          queryFn: () => getMonthBoard(db, scope, { period: choice.month }),
        });
      }}
    >
      <MonthBoardView choice={choice} currentMonth={now} />
    </Prefetched>
  );
}
