import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { apiFetch } from "../api";
import type { MemberRole } from "@/lib/constants";
import type { ApiKeyCreated, ApiKeyList, LoginResult, Profile, SessionList, VerifyResult, WorkspaceList } from "@/lib/schemas/responses";

export const accountKeys = {
  profile: ["profile"] as const,
  workspaces: ["workspaces"] as const,
  apiKeys: ["api-keys"] as const,
  sessions: ["sessions"] as const,
};

export const useProfile = () => useQuery({ queryKey: accountKeys.profile, queryFn: () => apiFetch<Profile>("/api/profile") });
/** The name sign-up gives a person's own workspace (lib/auth/persons.ts): stored in English. */
const SIGN_UP_NAME = /^Workspace (\+\d+)$/;

/**
 * The caller's workspaces, a sign-up name ("Workspace +79…") said in the page's language; with
 * `requests`, also the one they asked to join (pending or declined), which the profile shows.
 */
export function useWorkspaces({ requests = false }: { requests?: boolean } = {}) {
  const t = useTranslations("accounts");
  const select = useCallback(
    (data: WorkspaceList): WorkspaceList => ({
      items: data.items
        .filter((w) => requests || w.status === "active")
        .map((w) => {
          const phone = SIGN_UP_NAME.exec(w.name)?.[1];
          return phone ? { ...w, name: t("workspaceOf", { phone }) } : w;
        }),
    }),
    [t, requests],
  );
  return useQuery({ queryKey: accountKeys.workspaces, queryFn: () => apiFetch<WorkspaceList>("/api/workspaces"), select });
}
export const useApiKeys = () => useQuery({ queryKey: accountKeys.apiKeys, queryFn: () => apiFetch<ApiKeyList>("/api/api-keys") });

export function useRequestCode() {
  return useMutation({
    mutationFn: (phone: string) => apiFetch<LoginResult>("/api/login", { method: "POST", body: { phone } }),
  });
}

export function useVerifyCode() {
  return useMutation({
    mutationFn: (input: { phone: string; token: string }) => apiFetch<VerifyResult>("/api/verify", { method: "POST", body: input }),
  });
}

export function useActivateInvite() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (code: string) => apiFetch<Profile>("/api/profile", { method: "PATCH", body: { foreign_invite_code: code } }),
    onSuccess: (profile) => {
      client.setQueryData(accountKeys.profile, profile);
      // The request shows among the workspaces (its houses only once the owner admits it).
      void client.invalidateQueries();
    },
  });
}

export function useCreateApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; workspace_id?: number; role?: MemberRole }) =>
      apiFetch<ApiKeyCreated>("/api/api-keys", { method: "POST", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: accountKeys.apiKeys }),
  });
}

export function useDeleteApiKey() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => apiFetch<void>(`/api/api-keys/${id}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: accountKeys.apiKeys }),
  });
}

export function useLogout() {
  return useMutation({ mutationFn: () => apiFetch<void>("/api/logout", { method: "POST" }) });
}

export const useSessions = () => useQuery({ queryKey: accountKeys.sessions, queryFn: () => apiFetch<SessionList>("/api/sessions") });

/** Ends one session (`id`) or all the others (`"others"`); ending the current one signs out. */
export function useEndSessions() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (which: { id: number } | "others"): Promise<void> => {
      await apiFetch<unknown>(which === "others" ? "/api/sessions" : `/api/sessions/${which.id}`, { method: "DELETE" });
    },
    onSuccess: () => client.invalidateQueries({ queryKey: accountKeys.sessions }),
  });
}
