import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { getDb, type Db } from "@/db/client";
import { describeConnectionError, isDatabaseUnreachable } from "@/db/connection-errors";
import { logger } from "@/lib/logger";
import { pageActor } from "./session";
import { accountKeys } from "@/components/accounts/queries";
import { listWorkspaces } from "@/lib/auth/profile";
import { narrowScope, type Scope } from "@/lib/auth/scope";
import type { MemberRole } from "@/lib/constants";
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
 * start from it. `roles` are the ones the operations it stands in for allow (the strictest of
 * them, lib/auth/roles.ts): the prefetch sees only the workspaces where the person's role is
 * one of them, as the API would. A failure is left to the client's query, which shows the server's message:
 * also a database that cannot be reached (the page renders without its data, and its query's
 * 503 shows as the page's load error) rather than the error page.
 */
export async function Prefetched({
  prefetch,
  roles,
  children,
}: {
  prefetch: (client: QueryClient, db: Db, scope: Scope) => Promise<unknown>;
  roles: readonly MemberRole[];
  children: ReactNode;
}) {
  const client = new QueryClient();
  try {
    const actor = await pageActor();
    const scope = actor && narrowScope(actor.scope, roles);
    const personId = actor?.personId;
    await Promise.all([
      scope && prefetch(client, getDb(), scope),
      // The person's roles, so that the first screen already hides what their role cannot do
      // (components/accounts/roles.tsx) instead of showing it for a moment: alongside the
      // page's data, not after it.
      personId && client.prefetchQuery({ queryKey: accountKeys.workspaces, queryFn: () => listWorkspaces(getDb(), personId) }),
    ]);
  } catch (error) {
    if (!isDatabaseUnreachable(error)) throw error;
    logger.warn({ database_unreachable: describeConnectionError(error) }, "page rendered without its data: the database cannot be reached");
  }
  return <HydrationBoundary state={dehydrate(client)}>{children}</HydrationBoundary>;
}
