import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../api";
import type { RequisiteField } from "@/lib/constants";
import type { BillingSettings, KeyRate, KeyRateList, Requisites } from "@/lib/schemas/responses";

export const settingsKeys = {
  billing: (workspaceId: number) => ["workspaces", workspaceId, "billing-settings"] as const,
  keyRates: (workspaceId: number) => ["workspaces", workspaceId, "key-rates"] as const,
  requisites: (workspaceId: number) => ["workspaces", workspaceId, "requisites"] as const,
};

export const useRequisites = (workspaceId: number) =>
  useQuery({
    queryKey: settingsKeys.requisites(workspaceId),
    queryFn: () => apiFetch<Requisites>(`/api/workspaces/${workspaceId}/requisites`),
  });

/** Saves the fields given ("" clears one). */
export function useUpdateRequisites(workspaceId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (changes: Partial<Record<RequisiteField, string>>) =>
      apiFetch<Requisites>(`/api/workspaces/${workspaceId}/requisites`, { method: "PATCH", body: changes }),
    onSuccess: (requisites) => client.setQueryData(settingsKeys.requisites(workspaceId), requisites),
  });
}

export const useBillingSettings = (workspaceId: number) =>
  useQuery({
    queryKey: settingsKeys.billing(workspaceId),
    queryFn: () => apiFetch<BillingSettings>(`/api/workspaces/${workspaceId}/billing-settings`),
  });

export function useUpdateBillingSettings(workspaceId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (changes: Partial<BillingSettings>) =>
      apiFetch<BillingSettings>(`/api/workspaces/${workspaceId}/billing-settings`, { method: "PATCH", body: changes }),
    onSuccess: (settings) => client.setQueryData(settingsKeys.billing(workspaceId), settings),
  });
}

export const useKeyRates = (workspaceId: number) =>
  useQuery({
    queryKey: settingsKeys.keyRates(workspaceId),
    queryFn: () => apiFetch<KeyRateList>(`/api/workspaces/${workspaceId}/key-rates`),
  });

/** Sets the rate from a day (adds it, or changes the one there is); `percent` as typed, a decimal string. */
export function usePutKeyRate(workspaceId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ validFrom, percent }: { validFrom: string; percent: string }) =>
      apiFetch<KeyRate>(`/api/workspaces/${workspaceId}/key-rates/${encodeURIComponent(validFrom)}`, {
        method: "PUT",
        body: { percent },
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: settingsKeys.keyRates(workspaceId) }),
  });
}

export function useDeleteKeyRate(workspaceId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (validFrom: string) =>
      apiFetch<void>(`/api/workspaces/${workspaceId}/key-rates/${encodeURIComponent(validFrom)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: settingsKeys.keyRates(workspaceId) }),
  });
}
