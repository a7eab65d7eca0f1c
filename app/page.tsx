import { redirect } from "next/navigation";
import { env } from "@/lib/env";
import { currentMonth } from "@/lib/months";
import { pageResident } from "./_lib/resident";

export const dynamic = "force-dynamic";

// The month board of the current month (the server's, APP_TIMEZONE) is the home page after
// sign-in; a resident who manages no house lands on their apartments instead (issue 18).
export default async function HomePage() {
  const { home } = await pageResident();
  redirect(home ?? `/months/${currentMonth(env().APP_TIMEZONE)}`);
}
