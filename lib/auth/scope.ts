import { notFound } from "../api/errors";

/** What a request may see and where it creates things. */
export interface Scope {
  /** Every workspace the caller may read and change. */
  workspaceIds: number[];
  /** Where new houses and workspace-wide tariffs go when the request names none. */
  workspaceId: number;
}

/** The workspace a request names, if the caller belongs to it; else the caller's default. */
export function pickWorkspace(scope: Scope, requested: number | null | undefined): number | null {
  if (requested === undefined || requested === null) return scope.workspaceId;
  return scope.workspaceIds.includes(requested) ? requested : null;
}

/** pickWorkspace, or the 404 a workspace that is not the caller's gets. */
export function requireWorkspace(scope: Scope, requested: number | null | undefined): number {
  const picked = pickWorkspace(scope, requested);
  if (picked === null) throw notFound("workspace", requested ?? undefined);
  return picked;
}
