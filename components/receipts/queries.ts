import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { ReceiptBatchOut } from "@/lib/schemas/receipts";
import type { Requisites } from "@/lib/schemas/responses";
import { apiFetch } from "../api";
import { settingsKeys } from "../settings/queries";

/** A batch still being made: poll it. */
export const isMaking = (batch: Pick<ReceiptBatchOut, "status"> | undefined) => batch?.status === "queued" || batch?.status === "running";

/** About a second: a 1,000-apartment house takes seconds, and each poll is one primary-key read. */
const POLL_MS = 1000;

export const receiptKeys = {
  all: ["receipt-batches"] as const,
  batches: (houseId: number, period: string) => [...receiptKeys.all, "house", houseId, period] as const,
  batch: (id: number) => [...receiptKeys.all, "batch", id] as const,
};

/** One apartment's payment document of a month (a plain link: the session cookie authenticates it). */
export const receiptUrl = (apartmentId: number, period: string) => `/api/apartments/${apartmentId}/receipt?period=${period}`;

/**
 * The workspace's requisites, to know before offering a payment document whether the server
 * would refuse it (409 requisites_incomplete). Shares the requisites page's cache entry.
 */
export function useReceiptRequisites(workspaceId: number | undefined) {
  return useQuery({
    enabled: workspaceId !== undefined,
    queryKey: settingsKeys.requisites(workspaceId ?? 0),
    queryFn: () => apiFetch<Requisites>(`/api/workspaces/${workspaceId}/requisites`),
  });
}

/** The month's batches of a house, newest first. */
export function useReceiptBatches(houseId: number, period: string) {
  return useQuery({
    queryKey: receiptKeys.batches(houseId, period),
    queryFn: () => apiFetch<{ items: ReceiptBatchOut[] }>(`/api/houses/${houseId}/receipt-batches?period=${period}`),
  });
}

/** One batch, polled while it is queued or running. */
export function useReceiptBatch(id: number | undefined) {
  return useQuery({
    enabled: id !== undefined,
    queryKey: receiptKeys.batch(id ?? 0),
    queryFn: () => apiFetch<ReceiptBatchOut>(`/api/receipt-batches/${id}`),
    staleTime: 0,
    refetchInterval: (query) => (isMaking(query.state.data) ? POLL_MS : false),
  });
}

/** Queues the month's batch (POST …/receipt-batches → 202). */
export function useStartReceiptBatch(houseId: number, period: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => apiFetch<ReceiptBatchOut>(`/api/houses/${houseId}/receipt-batches`, { method: "POST", body: { period } }),
    onSuccess: (batch) => {
      client.setQueryData(receiptKeys.batch(batch.id), batch);
      void client.invalidateQueries({ queryKey: receiptKeys.batches(houseId, period) });
    },
  });
}
