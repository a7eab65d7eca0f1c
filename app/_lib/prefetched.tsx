import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getDb, type Db } from "@/db/client";
import { pageActor } from "./session";
import type { Scope } from "@/lib/auth/scope";
import { idParam } from "@/lib/schemas/common";

/** The id in a page's [id] segment, by the API's own rule; anything else is the 404 page. */
export function pageId(raw: string): number {
  const id = idParam.safeParse(raw);
  if (!id.success) notFound();
  return id.data;
}

/**
 * Renders a page's first screen with its data: `prefetch` fills the query cache during the
 * render (with the functions the API calls) for the signed-in person, and the client's queries
 * start from it. A failure is left to the client's query, which shows the server's message.
 */
export async function Prefetched({
  prefetch,
  children,
}: {
  prefetch: (client: QueryClient, db: Db, scope: Scope) => Promise<unknown>;
  children: ReactNode;
}) {
  const client = new QueryClient();
  const actor = await pageActor();
  if (actor) await prefetch(client, getDb(), actor.scope);
  return <HydrationBoundary state={dehydrate(client)}>{children}</HydrationBoundary>;
}
