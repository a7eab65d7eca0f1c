import { redirect } from "next/navigation";
import { env } from "@/lib/env";
import { currentMonth } from "@/lib/months";

export const dynamic = "force-dynamic";

// The month board of the current month (the server's, APP_TIMEZONE) is the home page after sign-in.
export default function HomePage() {
  redirect(`/months/${currentMonth(env().APP_TIMEZONE)}`);
}
