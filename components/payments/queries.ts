import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { PaymentImportRowStatus } from "@/lib/constants";
import type { MappingBody, PaymentImportRowsView, PaymentImportView } from "@/lib/schemas/payment-imports";
import { ApiClientError, apiFetch } from "../api";

/** Fast enough for the bar to move visibly, cheap for the server (one primary-key read). */
const POLL_MS = 500;
const ROWS_PAGE = 100;

const importKeys = {
  all: ["payment-imports"] as const,
  one: (id: number) => [...importKeys.all, "one", id] as const,
  rows: (id: number, status: PaymentImportRowStatus | "") => [...importKeys.all, "rows", id, status] as const,
};

/** One import, polled while a job checks its rows. */
export function usePaymentImport(id: number | undefined) {
  return useQuery({
    queryKey: importKeys.one(id ?? 0),
    queryFn: () => apiFetch<PaymentImportView>(`/api/payment-imports/${id}`),
    enabled: id !== undefined,
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.status === "parsing" ? POLL_MS : false),
  });
}

/** The checked rows, a page at a time (the cursor is the last line shown). */
export function useImportRows(id: number, status: PaymentImportRowStatus | "", enabled: boolean) {
  return useInfiniteQuery({
    queryKey: importKeys.rows(id, status),
    enabled,
    initialPageParam: 0,
    queryFn: ({ pageParam }) =>
      apiFetch<PaymentImportRowsView>(
        `/api/payment-imports/${id}/rows?limit=${ROWS_PAGE}${pageParam ? `&after=${pageParam}` : ""}${status ? `&status=${status}` : ""}`,
      ),
    getNextPageParam: (last) => last.next_after ?? undefined,
  });
}

/** Uploads the file itself as the body (not JSON, not a form). */
export function useUploadImport() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ file, workspaceId }: { file: File; workspaceId: number }) => {
      const response = await fetch(
        `/api/payment-imports?workspace_id=${workspaceId}&file_name=${encodeURIComponent(file.name.slice(0, 255))}`,
        {
          method: "POST",
          headers: { "content-type": "application/octet-stream" },
          body: file,
        },
      );
      const data = await response.json().catch(() => null);
      if (!response.ok)
        throw new ApiClientError(data?.error?.message ?? `upload failed (${response.status})`, response.status, data?.error);
      return data as PaymentImportView;
    },
    onSuccess: (view) => client.setQueryData(importKeys.one(view.id), view),
  });
}

export function useSetMapping(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (mapping: MappingBody) =>
      apiFetch<PaymentImportView>(`/api/payment-imports/${id}/mapping`, { method: "PUT", body: mapping }),
    onSuccess: (view) => {
      client.setQueryData(importKeys.one(id), view);
      void client.invalidateQueries({ queryKey: [...importKeys.all, "rows", id] });
    },
  });
}

/** Imports the ok rows. No optimistic update: money. */
export function useCommitImport(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<PaymentImportView>(`/api/payment-imports/${id}/commit`, { method: "POST" }),
    onSuccess: (view) => {
      client.setQueryData(importKeys.one(id), view);
      void client.invalidateQueries({ queryKey: [...importKeys.all, "rows", id] });
    },
  });
}

export function useDiscardImport(id: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<void>(`/api/payment-imports/${id}`, { method: "DELETE" }),
    onSuccess: () => client.removeQueries({ queryKey: importKeys.one(id) }),
  });
}

export const rejectedUrl = (id: number, lang: string) => `/api/payment-imports/${id}/rejected?lang=${lang}`;
