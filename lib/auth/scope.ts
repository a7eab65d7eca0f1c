import { notFound } from "../api/errors";
import type { MemberRole } from "../constants";

/** What a request may see and where it creates things. */
export interface Scope {
  /** Every workspace the caller may read and change. */
  workspaceIds: number[];
  /** Where new houses and workspace-wide tariffs go when the request names none. */
  workspaceId: number;
  /**
   * The caller's role in each workspace it is an active member of (an API key: its own). Every
   * request's scope has it (lib/auth/sessions.ts); a script acting as the system has none.
   */
  roles?: Record<number, MemberRole>;
}

/**
 * The part of the scope where the caller's role is one of `allowed`: what an operation that
 * allows those roles may touch (lib/api/route.ts). null when that is nothing.
 */
export function narrowScope(scope: Scope, allowed: readonly MemberRole[]): Scope | null {
  const { roles } = scope;
  if (!roles) return scope;
  const workspaceIds = scope.workspaceIds.filter((id) => allowed.includes(roles[id]));
  if (workspaceIds.length === 0) return null;
  return { workspaceIds, workspaceId: workspaceIds.includes(scope.workspaceId) ? scope.workspaceId : workspaceIds[0], roles: scope.roles };
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
