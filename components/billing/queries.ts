import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { BillingCheck, BillingRun, BillingRunList, HouseInvoiceSummaries, HouseMonth } from "@/lib/schemas/responses";
import { apiFetch } from "../api";

/** A run still moving: poll it. */
export const isActive = (run: Pick<BillingRun, "status"> | undefined) => run?.status === "queued" || run?.status === "running";

/** Fast enough for the bar to move visibly, cheap for the server (one primary-key read). */
const POLL_MS = 500;

export const billingKeys = {
  all: ["billing"] as const,
  runs: (houseId: number) => [...billingKeys.all, "runs", houseId] as const,
  run: (runId: number) => [...billingKeys.all, "run", runId] as const,
  invoices: (houseId: number, period: string) => [...billingKeys.all, "invoices", houseId, period] as const,
  /** the month's invoices without their lines (under `invoices`: invalidated with them) */
  invoiceSummaries: (houseId: number, period: string) => [...billingKeys.invoices(houseId, period), "summary"] as const,
};

export function useBillingRuns(houseId: number) {
  return useQuery({ queryKey: billingKeys.runs(houseId), queryFn: () => apiFetch<BillingRunList>(`/api/houses/${houseId}/billing-runs`) });
}

/** One run, polled while it is queued or running. */
export function useBillingRun(runId: number | undefined) {
  return useQuery({
    queryKey: billingKeys.run(runId ?? 0),
    queryFn: () => apiFetch<BillingRun>(`/api/billing-runs/${runId}`),
    enabled: runId !== undefined,
    staleTime: 0,
    refetchInterval: (query) => (isActive(query.state.data) ? POLL_MS : false),
  });
}

/** The month's invoices without their lines: a row's lines load when it is opened. */
export function useHouseInvoiceSummaries(houseId: number, period: string | undefined) {
  return useQuery({
    enabled: period !== undefined,
    queryKey: billingKeys.invoiceSummaries(houseId, period ?? ""),
    queryFn: () => apiFetch<HouseInvoiceSummaries>(`/api/houses/${houseId}/invoices/summary?period=${period}`),
  });
}

/** Starts (or joins, when one is under way) the month's run. No optimistic update: money. */
export function useStartBillingRun(houseId: number) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (period: string) => apiFetch<BillingRun>(`/api/houses/${houseId}/billing-runs`, { method: "POST", body: { period } }),
    onSuccess: (run) => {
      client.setQueryData(billingKeys.run(run.id), run);
      void client.invalidateQueries({ queryKey: billingKeys.runs(houseId) });
    },
  });
}

export const csvUrl = (houseId: number, period: string, lang: string) =>
  `/api/houses/${houseId}/invoices/csv?period=${period}&lang=${lang}`;

/** What a run of the month would do, and what needs a look first (GET …/billing-check). */
export function useBillingCheck(houseId: number, period: string | undefined) {
  return useQuery({
    enabled: period !== undefined,
    queryKey: [...billingKeys.all, "check", houseId, period ?? ""] as const,
    queryFn: () => apiFetch<BillingCheck>(`/api/houses/${houseId}/billing-check?period=${period}`),
  });
}

/** The month's state: drafts out of date, whether it can be posted, its history (under `invoices`: a finished run refreshes it). */
export function useHouseMonth(houseId: number, period: string | undefined) {
  return useQuery({
    enabled: period !== undefined,
    queryKey: [...billingKeys.invoices(houseId, period ?? ""), "month"] as const,
    queryFn: () => apiFetch<HouseMonth>(`/api/houses/${houseId}/months/${period}`),
  });
}

/** Posts the month, or reopens it with a reason; then the month, its invoices and its check are read again. */
export function useMonthAction(houseId: number, period: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (action: { kind: "post" } | { kind: "reopen"; reason: string }) =>
      apiFetch<HouseMonth>(`/api/houses/${houseId}/months/${period}/${action.kind}`, {
        method: "POST",
        body: action.kind === "reopen" ? { reason: action.reason } : undefined,
      }),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: billingKeys.invoices(houseId, period) });
      void client.invalidateQueries({ queryKey: [...billingKeys.all, "check", houseId, period] });
    },
  });
}
