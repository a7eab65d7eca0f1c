import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../api";
import type { MemberRole } from "@/lib/constants";
import type { MemberList } from "@/lib/schemas/responses";

export const memberKeys = {
  list: (workspaceId: number) => ["workspaces", workspaceId, "members"] as const,
};

export const useMembers = (workspaceId: number) =>
  useQuery({ queryKey: memberKeys.list(workspaceId), queryFn: () => apiFetch<MemberList>(`/api/workspaces/${workspaceId}/members`) });

/** One decision about a member: admit with a role, decline, change the role, or remove. */
export type MemberChange =
  | { personId: number; status: "active"; role: MemberRole }
  | { personId: number; status: "declined" }
  | { personId: number; role: MemberRole }
  | { personId: number; remove: true };

export function useChangeMember(workspaceId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ personId, ...change }: MemberChange) => {
      const url = `/api/workspaces/${workspaceId}/members/${personId}`;
      return "remove" in change ? apiFetch<void>(url, { method: "DELETE" }) : apiFetch<void>(url, { method: "PATCH", body: change });
    },
    // The owner's own role may have changed (another owner now, or demoted): every page's data may differ.
    onSettled: () => client.invalidateQueries(),
  });
}
