import { cookies } from "next/headers";
import { getDb } from "@/db/client";
import { authenticate, SESSION_COOKIE, type Actor } from "@/lib/auth/sessions";

/**
 * The signed-in person of a page render (server components), from the session cookie; null
 * when there is none or it is no longer valid. Pages use it to prefetch their first screen.
 */
export async function pageActor(): Promise<Actor | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return authenticate(
    getDb(),
    new Request("http://page.local/", { headers: { cookie: `${SESSION_COOKIE}=${encodeURIComponent(token)}` } }),
  );
}
