"use client";

import { useTranslations } from "next-intl";
import { can } from "@/lib/auth/roles";
import type { MemberRole } from "@/lib/constants";
import type { WorkspaceList } from "@/lib/schemas/responses";
import { useWorkspaces } from "./queries";

// What the person's role lets them do in a workspace, by the same sets the server enforces
// (lib/auth/roles.ts): the pages hide or disable what the role cannot do and say why. The
// server refuses it anyway (403 role_forbidden); this only spares the person the refusal.

type Workspace = WorkspaceList["items"][number];

/** A membership that gives a role: one not yet admitted (or declined) gives none. */
const admitted = (w: Workspace) => w.status === "active";

/** The person's roles by workspace id; `loaded` is false until the list has come. */
export function useRoles(): { roles: Record<number, MemberRole>; loaded: boolean } {
  const workspaces = useWorkspaces();
  const roles: Record<number, MemberRole> = {};
  for (const w of workspaces.data?.items ?? []) if (admitted(w)) roles[w.id] = w.role;
  return { roles, loaded: workspaces.isSuccess };
}

export interface RoleCheck {
  /** the role allows it (false until the roles and the workspace are known) */
  allowed: boolean;
  /** the person's role there: null while loading, or where they have none */
  role: MemberRole | null;
  /** the roles and the workspace are known: a refusal is real, worth a note */
  known: boolean;
}

/** Whether the person's role in the workspace is one of `roles` (a ROLES set). */
export function useCan(roles: readonly MemberRole[], workspaceId: number | null | undefined): RoleCheck {
  const { roles: byWorkspace, loaded } = useRoles();
  const role = workspaceId == null ? null : (byWorkspace[workspaceId] ?? null);
  return { allowed: can(role, roles), role, known: loaded && workspaceId != null };
}

/** Whether the person may create things somewhere (a new house goes to a workspace they manage). */
export function useCanAnywhere(roles: readonly MemberRole[]): RoleCheck & { workspaceIds: number[] } {
  const { roles: byWorkspace, loaded } = useRoles();
  const workspaceIds = Object.entries(byWorkspace)
    .filter(([, role]) => can(role, roles))
    .map(([id]) => Number(id));
  // For the note: the role where it allows nothing (a person with one workspace has one role).
  const role = Object.values(byWorkspace)[0] ?? null;
  return { allowed: workspaceIds.length > 0, role, known: loaded, workspaceIds };
}

/**
 * The one note that says why editing controls are missing: "Your role is viewer: you can look,
 * not change." `what` names what is withheld when it is less than all changes (e.g. prices).
 * Nothing while the role is still unknown or when it allows the action.
 */
export function RoleNote({
  check,
  what = "changes",
  workspace,
}: {
  check: RoleCheck;
  what?: "changes" | "readings" | "prices" | "billing" | "reopen" | "keys" | "settings" | "requisites";
  /** the workspace's name, on a page that shows several workspaces at once */
  workspace?: string;
}) {
  const t = useTranslations("accounts.roleNote");
  if (!check.known || check.allowed) return null;
  const text = t(what, { role: check.role ?? "none" });
  return (
    <p role="note" data-testid="role-note" className="rounded border border-slate-200 bg-slate-50 p-2 text-sm text-slate-700">
      {workspace ? t("inWorkspace", { workspace, text }) : text}
    </p>
  );
}
